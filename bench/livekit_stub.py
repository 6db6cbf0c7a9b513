"""The LiveKit Twirp stub as its own process: `python -m bench.livekit_stub PORT KEY SECRET`."""

from __future__ import annotations

import asyncio
import sys

from tests.fakes.livekit import FakeLiveKit


async def main(port: int, key: str, secret: str) -> None:
    stub = FakeLiveKit(api_key=key, api_secret=secret)
    stub.port = port
    await stub.start()
    print("ready", flush=True)
    while True:
        await asyncio.sleep(3600)
        stub.reset()  # it records every request; keep memory flat in long runs


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), sys.argv[2], sys.argv[3]))
