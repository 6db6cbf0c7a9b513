"""API process start-up time and resident memory, against a bare Starlette hello-world.

Both start the same way (`python -m uvicorn --factory ...`, one process). Start-up is
from spawning the process to the first 200 from /healthz (polled every 10 ms); the
median of several starts. Memory is VmRSS from /proc/<pid>/status after a warm-up:
the dashboard and `me` reads under load for the API, /healthz for the hello-world.
Starts alternate API and hello-world; the servers run on the CPUs the load generator
does not use (bench/processes.py `Cores`).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass

import httpx

from bench import load
from bench.operations import dashboard_body, me_body
from bench.processes import ROOT, Cores, free_port, load_average, pin, pinned


@dataclass
class Footprint:
    name: str
    startup_s: float
    rss_mb: float
    peak_rss_mb: float
    load: str = ""


def _spawn(factory: str, env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
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
        env={**os.environ, **env, "PYTHONPATH": ROOT},
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait_healthy(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=1) as http:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{url}: the process exited with {process.returncode}")
            try:
                if http.get(url + "/healthz").status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.01)
    raise RuntimeError(f"{url} did not come up")


def _memory_mb(pid: int) -> tuple[float, float]:
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            key, _, value = line.partition(":")
            fields[key] = value
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


async def _warm_api(url: str, token: str, organization_global_id: str, seconds: float) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    for body in (dashboard_body(organization_global_id), me_body()):
        await load.post_json(
            url + "/graphql", body=body, headers=headers, concurrency=16, seconds=seconds
        )


async def _warm_hello(url: str, requests: int = 500) -> None:
    async with httpx.AsyncClient(base_url=url) as http:
        for _ in range(requests // 20):
            await asyncio.gather(*(http.get("/healthz") for _ in range(20)))


async def measure(
    *,
    env: dict[str, str],
    token: str,
    organization_global_id: str,
    starts: int,
    warm_seconds: float,
    cores: Cores,
) -> tuple[Footprint, Footprint]:
    servers = (("api", "bench.apps:api_app"), ("hello", "bench.hello:hello_app"))
    times: dict[str, list[float]] = {name: [] for name, _ in servers}
    memory: dict[str, tuple[float, float]] = {}
    loads = [load_average()]
    with pinned(cores.generator):
        for attempt in range(starts):
            for name, factory in servers:  # alternating, so the machine's load hits both
                port = free_port()
                url = f"http://127.0.0.1:{port}"
                started = time.perf_counter()
                process = _spawn(factory, env, port)
                pin(process, cores.servers)
                try:
                    await asyncio.to_thread(_wait_healthy, url, process)
                    times[name].append(time.perf_counter() - started)
                    if attempt == starts - 1:
                        if name == "api":
                            await _warm_api(url, token, organization_global_id, warm_seconds)
                        else:
                            await _warm_hello(url)
                        memory[name] = _memory_mb(process.pid)
                finally:
                    process.terminate()
                    try:
                        process.wait(timeout=10)
                    except subprocess.TimeoutExpired:
                        process.kill()
    loads.append(load_average())
    api, hello = (
        Footprint(name, statistics.median(times[name]), *memory[name], load=" -> ".join(loads))
        for name, _ in servers
    )
    return api, hello
