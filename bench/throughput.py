"""Dashboard and `me` throughput: the API against hand-written handlers, same database.

Both servers run at once, each in its own uvicorn process; before measuring, both
must answer the same request with the same JSON. Rounds alternate API, baseline,
API, baseline..., so a change in the machine's load hits both sides; each side's
figure is its median round.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

import httpx

from bench import load
from bench.operations import dashboard_body, me_body
from bench.processes import serve


@dataclass
class Comparison:
    name: str
    api: load.Throughput
    baseline: load.Throughput
    rounds: int
    concurrency: int

    @property
    def ratio(self) -> float:
        return self.api.per_second / self.baseline.per_second


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
) -> list[Comparison]:
    headers = {"Authorization": f"Bearer {token}"}
    reads = (
        ("dashboard", dashboard_body(organization_global_id), "/dashboard"),
        ("me", me_body(), "/me"),
    )
    results = []
    with (
        serve("bench.apps:api_app", env) as api_url,
        serve("bench.apps:baseline_reads_app", env) as baseline_url,
    ):
        for name, body, baseline_path in reads:
            targets = (f"{api_url}/graphql", f"{baseline_url}{baseline_path}")
            await _same_answer(targets, body, headers)
            for url in targets:  # warm up: connections, caches, the JIT-less interpreter's dicts
                await load.post_json(
                    url, body=body, headers=headers, concurrency=concurrency, seconds=1
                )
            runs: dict[str, list[load.Throughput]] = {"api": [], "baseline": []}
            for _ in range(rounds):
                for side, url in zip(("api", "baseline"), targets, strict=True):
                    run = await load.post_json(
                        url, body=body, headers=headers, concurrency=concurrency, seconds=seconds
                    )
                    if run.errors:
                        raise RuntimeError(f"{name} {side}: {run.errors} failed requests")
                    runs[side].append(run)
            results.append(
                Comparison(
                    name, _median(runs["api"]), _median(runs["baseline"]), rounds, concurrency
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
    if api.json() != baseline.json():
        raise AssertionError(
            f"the baseline does not answer like the API:\n{api.text[:1500]}\n{baseline.text[:1500]}"
        )
