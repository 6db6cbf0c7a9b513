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
from dataclasses import dataclass

import httpx

from core.settings import Settings

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class Cores:
    """Which CPUs the load generator and the servers run on: different ones where the
    machine has two or more (the generator gets the first, the servers the rest), so that
    neither takes CPU time from the other; all of them otherwise."""

    generator: frozenset[int]
    servers: frozenset[int]

    @property
    def split(self) -> bool:
        return not self.generator & self.servers

    def describe(self) -> str:
        if not self.split:
            return "not pinned (one CPU)"
        return (
            f"load generator pinned to CPU {_cpus(self.generator)}, servers (and their stubs) "
            f"to CPU {_cpus(self.servers)}"
        )


def cores() -> Cores:
    available = sorted(os.sched_getaffinity(0))
    if len(available) < 2:
        return Cores(frozenset(available), frozenset(available))
    return Cores(frozenset(available[:1]), frozenset(available[1:]))


def _cpus(cpus: frozenset[int]) -> str:
    return ", ".join(str(cpu) for cpu in sorted(cpus))


@contextmanager
def pinned(cpus: frozenset[int]) -> Iterator[None]:
    """This process (the load generator, and the `wrk` it starts) runs on `cpus` meanwhile."""
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, cpus)
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


def pin(process: subprocess.Popen[bytes], cpus: frozenset[int] | None) -> None:
    if cpus is not None:
        os.sched_setaffinity(process.pid, cpus)


def load_average() -> str:
    """The machine's load when a figure was measured (1-minute load average)."""
    return f"{os.getloadavg()[0]:.1f}"


@contextmanager
def serve(
    factory: str,
    env: dict[str, str],
    port: int | None = None,
    cpus: frozenset[int] | None = None,
) -> Iterator[str]:
    """Run `uvicorn --factory <factory>` in a child process (on `cpus` when given); yields its
    base URL."""
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
            # As `voiceagents serve` runs the API (the setting's default, unless set).
            "--ws-per-message-deflate",
            environment.get("WS_PER_MESSAGE_DEFLATE", str(_DEFLATE_DEFAULT).lower()),
        ],
        env=environment,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=log_file,
    )
    pin(process, cpus)
    url = f"http://127.0.0.1:{port}"
    _PIDS[url] = process.pid
    try:
        wait_until_up(url, process, log_path)
        yield url
    finally:
        _PIDS.pop(url, None)
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log_file.close()


_PIDS: dict[str, int] = {}
_DEFLATE_DEFAULT = Settings.model_fields["ws_per_message_deflate"].default


def cpu_seconds(url: str) -> float:
    """CPU time (user + system) the server at `url`, started by `serve`, has used so far."""
    with open(f"/proc/{_PIDS[url]}/stat") as stat:
        # The fields after the command's name, which is in parentheses and may hold spaces.
        fields = stat.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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
