"""The LiveKit Twirp stub as its own process: `python -m bench.livekit_stub KEY SECRET`.

It binds a free port itself and prints `ready <port>` once it serves (no port chosen
beforehand that another process could take in between)."""

from __future__ import annotations

import asyncio
import sys

from tests.fakes.livekit import FakeLiveKit


async def main(key: str, secret: str) -> None:
    stub = FakeLiveKit(api_key=key, api_secret=secret)
    await stub.start()
    print(f"ready {stub.port}", flush=True)
    while True:
        await asyncio.sleep(3600)
        stub.reset()  # it records every request; keep memory flat in long runs


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
