"""The start-up and memory baseline: a bare Starlette hello-world, imported alone."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


def hello_app() -> Starlette:
    return Starlette(routes=[Route("/healthz", healthz)])
