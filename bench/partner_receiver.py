"""A partner's webhook endpoint for the bench: answers 204 at once (`--factory`)."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


def receiver_app() -> Starlette:
    async def receive(request: Request) -> Response:
        await request.body()
        return Response(status_code=204)

    async def healthz(request: Request) -> Response:
        return Response(status_code=200)

    return Starlette(
        routes=[Route("/hooks", receive, methods=["POST"]), Route("/healthz", healthz)]
    )


def recording_receiver_app() -> Starlette:
    """The load test's endpoint (bench/capacity.py): answers 204 at once and keeps, for each
    delivery, the event's id and time and when it arrived; GET /received returns them
    ([id, timestamp, received at (epoch seconds)], in order of arrival)."""
    import json
    import time

    received: list[tuple[str, str, float]] = []

    async def receive(request: Request) -> Response:
        body = json.loads(await request.body())
        received.append((body["id"], body["timestamp"], time.time()))
        return Response(status_code=204)

    async def report(request: Request) -> Response:
        return Response(json.dumps(received), media_type="application/json")

    async def healthz(request: Request) -> Response:
        return Response(status_code=200)

    return Starlette(
        routes=[
            Route("/hooks", receive, methods=["POST"]),
            Route("/received", report),
            Route("/healthz", healthz),
        ]
    )
