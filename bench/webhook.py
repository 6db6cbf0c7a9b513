"""The incoming-call webhook at 20 concurrent requests, against a hand-written handler.

Both servers run in their own process on the same database. The API does the
whole job (verify the Twilio signature, find the agent, record the call with
its snapshot and first event, create the LiveKit room on a local Twirp stub,
answer TwiML); the baseline only looks the agent up and answers TwiML.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import httpx
from twilio.request_validator import RequestValidator

from bench.processes import gather_limited, percentile, serve

PUBLIC_BASE_URL = "https://bench.voiceagents.test"
TWILIO_TOKEN = "bench-twilio-auth-token-0123456789abcdef"


@dataclass
class LatencyResult:
    name: str
    p50_ms: float
    p99_ms: float
    requests: int


async def measure(
    *, env: dict[str, str], phone_number: str, requests: int, concurrency: int = 20
) -> tuple[LatencyResult, LatencyResult]:
    validator = RequestValidator(TWILIO_TOKEN)
    url = f"{PUBLIC_BASE_URL}/webhooks/twilio/voice"
    env = {**env, "TWILIO_AUTH_TOKEN": TWILIO_TOKEN, "PUBLIC_BASE_URL": PUBLIC_BASE_URL}

    def signed_request(index: int) -> tuple[dict[str, str], dict[str, str]]:
        params = {
            "CallSid": f"CA{uuid.uuid4().hex}",
            "From": "+14155550100",
            "To": phone_number,
            "CallStatus": "ringing",
        }
        return params, {"X-Twilio-Signature": validator.compute_signature(url, params)}

    results = []
    for name, factory in (
        ("api", "bench.apps:api_app"),
        ("baseline", "bench.apps:baseline_webhook_app"),
    ):
        with serve(factory, env) as base_url:
            limits = httpx.Limits(max_connections=concurrency)
            async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=30) as http:

                async def one(index: int) -> None:
                    params, headers = signed_request(index)
                    response = await http.post(
                        "/webhooks/twilio/voice", data=params, headers=headers
                    )
                    assert response.status_code == 200 and "<Sip>" in response.text, response.text

                await gather_limited(min(200, requests), concurrency, one)  # warm up
                latencies = await gather_limited(requests, concurrency, one)
        results.append(
            LatencyResult(name, percentile(latencies, 0.5), percentile(latencies, 0.99), requests)
        )
    return results[0], results[1]
