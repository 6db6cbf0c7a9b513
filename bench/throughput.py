"""Dashboard and `me` throughput: the API against hand-written handlers, same database.

Both servers run at once, each in its own uvicorn process, on the CPUs the load generator
does not use (bench/processes.py `Cores`); before measuring, both must answer the same
request with the same bytes. Rounds alternate API, baseline, API, baseline..., so a change
in the machine's load hits both sides; each side's figure is its median round. Each round
also counts the CPU time its server used per request, which the machine's other work
disturbs less than throughput.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

import httpx

from bench import load
from bench.operations import dashboard_body, me_body
from bench.processes import Cores, cpu_seconds, load_average, pinned, serve


@dataclass
class Comparison:
    name: str
    api: load.Throughput
    baseline: load.Throughput
    rounds: int
    concurrency: int
    # Median CPU milliseconds each server used per request over its rounds.
    api_cpu_ms: float = 0.0
    baseline_cpu_ms: float = 0.0
    # The 1-minute load average before and after the rounds.
    load: str = ""

    @property
    def ratio(self) -> float:
        return self.api.per_second / self.baseline.per_second

    @property
    def cpu_ratio(self) -> float:
        """Baseline CPU per request over the API's: the throughput ratio one CPU would give."""
        return self.baseline_cpu_ms / self.api_cpu_ms if self.api_cpu_ms else 0.0


def _median(runs: list[load.Throughput]) -> load.Throughput:
    middle = statistics.median_low([run.per_second for run in runs])
    return next(run for run in runs if run.per_second == middle)


async def measure(
    *,
    env: dict[str, str],
    token: str,
    organization_global_id: str,
    concurrency: int,
    seconds: float,
    rounds: int,
    cores: Cores,
) -> list[Comparison]:
    headers = {"Authorization": f"Bearer {token}"}
    reads = (
        ("dashboard", dashboard_body(organization_global_id), "/dashboard"),
        ("me", me_body(), "/me"),
    )
    results = []
    with (
        serve("bench.apps:api_app", env, cpus=cores.servers) as api_url,
        serve("bench.apps:baseline_reads_app", env, cpus=cores.servers) as baseline_url,
        pinned(cores.generator),
    ):
        for name, body, baseline_path in reads:
            targets = (f"{api_url}/graphql", f"{baseline_url}{baseline_path}")
            servers = (api_url, baseline_url)
            await _same_answer(targets, body, headers)
            for url in targets:  # warm up: connections, caches, the JIT-less interpreter's dicts
                await load.post_json(
                    url, body=body, headers=headers, concurrency=concurrency, seconds=1
                )
            loads = [load_average()]
            runs: dict[str, list[load.Throughput]] = {"api": [], "baseline": []}
            cpu: dict[str, list[float]] = {"api": [], "baseline": []}
            for _ in range(rounds):
                for side, url, server in zip(("api", "baseline"), targets, servers, strict=True):
                    used = cpu_seconds(server)
                    run = await load.post_json(
                        url, body=body, headers=headers, concurrency=concurrency, seconds=seconds
                    )
                    cpu[side].append((cpu_seconds(server) - used) * 1000 / max(run.requests, 1))
                    if run.errors:
                        raise RuntimeError(f"{name} {side}: {run.errors} failed requests")
                    runs[side].append(run)
            loads.append(load_average())
            results.append(
                Comparison(
                    name,
                    _median(runs["api"]),
                    _median(runs["baseline"]),
                    rounds,
                    concurrency,
                    api_cpu_ms=statistics.median(cpu["api"]),
                    baseline_cpu_ms=statistics.median(cpu["baseline"]),
                    load=" -> ".join(loads),
                )
            )
    return results


async def _same_answer(
    targets: tuple[str, str], body: dict[str, object], headers: dict[str, str]
) -> None:
    async with httpx.AsyncClient(timeout=30) as http:
        api, baseline = [(await http.post(url, json=body, headers=headers)) for url in targets]
    assert api.status_code == baseline.status_code == 200, (api.text[:500], baseline.text[:500])
    assert "errors" not in api.json(), api.text[:1000]
    # Byte for byte: the same JSON, encoded the same way.
    if api.content != baseline.content:
        raise AssertionError(
            f"the baseline does not answer like the API:\n{api.text[:1500]}\n{baseline.text[:1500]}"
        )
