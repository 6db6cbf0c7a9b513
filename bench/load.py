"""Throughput at a fixed number of concurrent clients: `wrk` when installed, else Python.

wrk is a C load generator: on a two-core machine it leaves the server a core of its
own. The Python fallback (httpx in this process) spends about as much CPU per request
as a fast server does, so it caps the fast baseline lower than the API and makes the
ratios look better than they are; the report says which one ran.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass

import httpx

from bench.processes import percentile


@dataclass
class Throughput:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def generator() -> str:
    """Which load generator runs: "wrk" or "python"."""
    if os.environ.get("BENCH_LOAD") == "python" or shutil.which("wrk") is None:
        return "python"
    return "wrk"


async def post_json(
    url: str,
    *,
    body: dict[str, object],
    headers: dict[str, str],
    concurrency: int,
    seconds: float,
) -> Throughput:
    """POST the same JSON body over and over from `concurrency` clients for `seconds`."""
    if generator() == "wrk":
        return await _wrk(url, body=body, headers=headers, concurrency=concurrency, seconds=seconds)
    return await _python(url, body=body, headers=headers, concurrency=concurrency, seconds=seconds)


_WRK_SCRIPT = """
wrk.method = "POST"
wrk.body = [==[%(body)s]==]
wrk.headers["Content-Type"] = "application/json"
%(headers)s
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


async def _wrk(
    url: str,
    *,
    body: dict[str, object],
    headers: dict[str, str],
    concurrency: int,
    seconds: float,
) -> Throughput:
    header_lines = "\n".join(f'wrk.headers["{k}"] = "{v}"' for k, v in headers.items())
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_WRK_SCRIPT % {"body": json.dumps(body), "headers": header_lines})
    try:
        process = await asyncio.create_subprocess_exec(
            "wrk",
            "-t1",
            f"-c{concurrency}",
            f"-d{max(1, round(seconds))}s",
            "--timeout",
            "10s",
            "-s",
            script.name,
            url,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await process.communicate()
    finally:
        os.unlink(script.name)
    line = next((x for x in out.decode().splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed: {out.decode()[-500:]} {err.decode()[-500:]}")
    requests, duration_us, p50_us, p99_us, errors = (int(x) for x in line.split()[1:])
    return Throughput(requests, duration_us / 1e6, p50_us / 1000, p99_us / 1000, errors)


async def _python(
    url: str,
    *,
    body: dict[str, object],
    headers: dict[str, str],
    concurrency: int,
    seconds: float,
) -> Throughput:
    content = json.dumps(body).encode()
    headers = {**headers, "Content-Type": "application/json"}
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=10) as http:
        deadline = time.perf_counter() + seconds

        async def client() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                response = await http.post(url, content=content, headers=headers)
                latencies.append((time.perf_counter() - started) * 1000)
                errors += response.status_code != 200

        began = time.perf_counter()
        await asyncio.gather(*(client() for _ in range(concurrency)))
        elapsed = time.perf_counter() - began
    return Throughput(
        len(latencies), elapsed, percentile(latencies, 0.5), percentile(latencies, 0.99), errors
    )
