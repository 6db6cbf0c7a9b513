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
