"""Starting servers as separate processes, like production, and waiting for them."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serve(factory: str, env: dict[str, str], port: int | None = None) -> Iterator[str]:
    """Run `uvicorn --factory <factory>` in a child process; yields its base URL."""
    port = port or free_port()
    environment = {**os.environ, **env, "PYTHONPATH": ROOT}
    log_path = os.path.join(ROOT, "var", f"bench-{factory.split(':')[-1]}-{port}.log")
    os.makedirs(os.path.dirname(log_path), exist_ok=True)
    log_file = open(log_path, "w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            factory,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env=environment,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log_file,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, process, log_path)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log_file.close()


def wait_until_up(
    url: str, process: subprocess.Popen[bytes], log_path: str, timeout: float = 60
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            with open(log_path) as log:
                raise RuntimeError(f"server exited: {log.read()[-2000:]}")
        try:
            httpx.get(url + "/healthz", timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"server at {url} did not come up")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


async def gather_limited(count: int, concurrency: int, make) -> list[float]:  # type: ignore[no-untyped-def]
    """Run `count` requests with `concurrency` in flight; returns each latency in ms."""
    latencies: list[float] = []
    queue = iter(range(count))

    async def client() -> None:
        for index in queue:
            started = time.perf_counter()
            await make(index)
            latencies.append((time.perf_counter() - started) * 1000)

    await asyncio.gather(*(client() for _ in range(concurrency)))
    return latencies
