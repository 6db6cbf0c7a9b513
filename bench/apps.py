"""ASGI apps the benchmarks serve with uvicorn (`--factory`), each in its own process."""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from tortoise.contrib.starlette import RegisterTortoise

from core.settings import get_settings
from graphql_api.app import create_app
from orm.config import tortoise_config
from orm.models import VoiceAgent


def api_app():  # type: ignore[no-untyped-def]
    """The real API server, configured from the environment."""
    return create_app(get_settings(), run_background_tasks=False)


def _baseline_database_url() -> str:
    """The baselines read as the tables' owner (on PostgreSQL: without row-level security;
    bench/__main__.py), the API as the application role."""
    return os.environ.get("BENCH_BASELINE_DATABASE_URL") or get_settings().database_url


def baseline_webhook_app() -> Starlette:
    """A hand-written handler doing the webhook's database lookup and answering TwiML."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with RegisterTortoise(app, config=tortoise_config(_baseline_database_url())):
            yield

    async def voice(request: Request) -> Response:
        form = dict(parse_qsl((await request.body()).decode()))
        agent = await VoiceAgent.get_or_none(
            phone_number__e164=form.get("To"), phone_number__status="active", is_active=True
        )
        if agent is None:
            body = "<Response><Hangup/></Response>"
        else:
            body = (
                '<?xml version="1.0" encoding="UTF-8"?><Response><Dial answerOnBridge="true">'
                f"<Sip>sip:call-{agent.id.hex}@sip.example;transport=tcp</Sip></Dial></Response>"
            )
        return Response(body, media_type="application/xml")

    return Starlette(
        routes=[Route("/webhooks/twilio/voice", voice, methods=["POST"])], lifespan=lifespan
    )


def baseline_reads_app() -> Starlette:
    """Hand-written handlers for the dashboard and `me` reads (bench/handwritten.py)."""
    from bench import handwritten
    from core.security.tokens import AccessTokenCodec

    settings = get_settings()
    codec = AccessTokenCodec(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with RegisterTortoise(app, config=tortoise_config(_baseline_database_url())):
            yield

    async def dashboard(request: Request) -> Response:
        return await handwritten.dashboard(request, codec)

    async def me(request: Request) -> Response:
        return await handwritten.me(request, codec)

    async def healthz(request: Request) -> Response:
        return Response("ok")

    return Starlette(
        routes=[
            Route("/dashboard", dashboard, methods=["POST"]),
            Route("/me", me, methods=["POST"]),
            Route("/healthz", healthz),
        ],
        lifespan=lifespan,
    )
