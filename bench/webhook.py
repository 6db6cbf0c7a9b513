"""The incoming-call webhook at 20 concurrent requests, against a hand-written handler that
makes the same writes.

Both servers run at the same time, each in its own process, on the same database and
LiveKit stub. The API does the whole job (verify the Twilio signature, see whether the
CallSid is a retry, find the number's agent, snapshot it with its tools, insert the call and
its first event in one transaction, publish the event, create the LiveKit room on a local
Twirp stub, store the room's name, answer TwiML); the baseline (bench/apps.py
`baseline_webhook_app`) makes the same writes: signature, agent, the call and its first
event in one transaction, the room, the room's name, TwiML. Rounds alternate API and
baseline; each side's p50 and p99 are the medians of its rounds'.
"""

from __future__ import annotations

import statistics
import uuid
from dataclasses import dataclass, field

import httpx
from twilio.request_validator import RequestValidator

from bench.processes import Cores, gather_limited, load_average, percentile, pinned, serve

PUBLIC_BASE_URL = "https://bench.voiceagents.test"
TWILIO_TOKEN = "bench-twilio-auth-token-0123456789abcdef"


@dataclass
class LatencyResult:
    name: str
    p50_ms: float
    p99_ms: float
    requests: int
    rounds: int = 1
    round_p50s: list[float] = field(default_factory=list)
    load: str = ""


async def measure(
    *,
    env: dict[str, str],
    phone_number: str,
    requests: int,
    cores: Cores,
    rounds: int = 3,
    concurrency: int = 20,
) -> tuple[LatencyResult, LatencyResult]:
    """`requests` signed requests per round and side, after a warm-up of each."""
    validator = RequestValidator(TWILIO_TOKEN)
    url = f"{PUBLIC_BASE_URL}/webhooks/twilio/voice"
    env = {**env, "TWILIO_AUTH_TOKEN": TWILIO_TOKEN, "PUBLIC_BASE_URL": PUBLIC_BASE_URL}

    def signed_request() -> tuple[dict[str, str], dict[str, str]]:
        params = {
            "CallSid": f"CA{uuid.uuid4().hex}",
            "From": "+14155550100",
            "To": phone_number,
            "CallStatus": "ringing",
        }
        return params, {"X-Twilio-Signature": validator.compute_signature(url, params)}

    samples: dict[str, list[list[float]]] = {"api": [], "baseline": []}
    loads = [load_average()]
    with (
        serve("bench.apps:api_app", env, cpus=cores.servers) as api_url,
        serve("bench.apps:baseline_webhook_app", env, cpus=cores.servers) as baseline_url,
        pinned(cores.generator),
    ):
        limits = httpx.Limits(max_connections=concurrency)
        async with (
            httpx.AsyncClient(base_url=api_url, limits=limits, timeout=30) as api,
            httpx.AsyncClient(base_url=baseline_url, limits=limits, timeout=30) as baseline,
        ):
            clients = {"api": api, "baseline": baseline}

            async def run(side: str, count: int) -> list[float]:
                http = clients[side]

                async def one(index: int) -> None:
                    params, headers = signed_request()
                    response = await http.post(
                        "/webhooks/twilio/voice", data=params, headers=headers
                    )
                    assert response.status_code == 200 and "<Sip>" in response.text, (
                        side,
                        response.text,
                    )

                return await gather_limited(count, concurrency, one)

            for side in clients:  # warm up
                await run(side, min(200, requests))
            for _ in range(rounds):
                for side in clients:
                    samples[side].append(await run(side, requests))
            loads.append(load_average())
    return _result("api", samples["api"], requests, loads), _result(
        "baseline", samples["baseline"], requests, loads
    )


def _result(name: str, rounds: list[list[float]], requests: int, loads: list[str]) -> LatencyResult:
    p50s = [percentile(latencies, 0.5) for latencies in rounds]
    p99s = [percentile(latencies, 0.99) for latencies in rounds]
    return LatencyResult(
        name,
        statistics.median(p50s),
        statistics.median(p99s),
        requests,
        rounds=len(rounds),
        round_p50s=p50s,
        load=" -> ".join(loads),
    )
