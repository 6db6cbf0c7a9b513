"""ASGI apps the benchmarks serve with uvicorn (`--factory`), each in its own process."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from tortoise.contrib.starlette import RegisterTortoise
from tortoise.transactions import in_transaction
from twilio.request_validator import RequestValidator

from core import heap
from core.call_events import CallStatus, StatusChanged, StatusSource
from core.call_snapshot import AgentTools, CallSnapshot
from core.integrations.livekit_rooms import LiveKitRooms
from core.settings import get_settings
from graphql_api.app import create_app
from orm.config import tortoise_config
from orm.models import Call, CallEvent, VoiceAgent


def api_app():  # type: ignore[no-untyped-def]
    """The real API server, configured from the environment."""
    return create_app(get_settings(), run_background_tasks=False, settle_heap=True)


@contextlib.asynccontextmanager
async def settled() -> AsyncIterator[None]:
    """What the API's `settle_heap` does, for a baseline: the same process, bar the GraphQL
    layer (core/heap.py)."""
    heap.settle()
    yield


def _baseline_database_url() -> str:
    """The baselines read as the tables' owner (on PostgreSQL: without row-level security;
    bench/__main__.py), the API as the application role."""
    return os.environ.get("BENCH_BASELINE_DATABASE_URL") or get_settings().database_url


def baseline_webhook_app() -> Starlette:
    """A hand-written incoming-call handler that makes the API's writes, no more: it checks
    Twilio's signature, finds the number's agent, inserts the call (with the agent's
    snapshot) and its first event (`ringing`) in one transaction, creates the call's LiveKit
    room, stores the room's name on the call and answers TwiML. What it leaves out is what a
    real handler needs beyond the writes: a retried webhook's detection, refusals (inactive
    agent, no credits), the agent's tools in the snapshot (the bench's agent has none),
    publishing the event, partner webhooks, tracing."""
    settings = get_settings()
    rooms = LiveKitRooms(settings)
    assert settings.twilio_auth_token is not None
    validator = RequestValidator(settings.twilio_auth_token.get_secret_value())
    no_tools = AgentTools(tools={}, custom_functions=())

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        config = tortoise_config(_baseline_database_url())
        async with RegisterTortoise(app, config=config), settled():
            yield
        await rooms.aclose()

    async def voice(request: Request) -> Response:
        form = dict(parse_qsl((await request.body()).decode(), keep_blank_values=True))
        url = settings.public_base_url.rstrip("/") + request.url.path
        if not validator.validate(url, form, request.headers.get("x-twilio-signature", "")):
            return Response("Invalid signature.", status_code=403)
        agent = await VoiceAgent.get_or_none(
            phone_number__e164=form.get("To"), phone_number__status="active", is_active=True
        )
        if agent is None:
            return Response("<Response><Hangup/></Response>", media_type="application/xml")
        call_id = uuid.uuid4()
        snapshot = CallSnapshot.of(agent, no_tools)
        ringing = StatusChanged(
            status=CallStatus.RINGING, previous_status=None, source=StatusSource.TWILIO
        )
        async with in_transaction():
            await Call.create(
                id=call_id,
                organization_id=agent.organization_id,  # type: ignore[attr-defined]
                agent_id=agent.id,
                direction="inbound",
                from_number=form.get("From", "")[:32],
                to_number=form.get("To", "")[:32],
                status=CallStatus.RINGING.value,
                twilio_call_sid=form.get("CallSid"),
                snapshot=snapshot.as_stored(),
                last_event_seq=1,
            )
            await CallEvent.create(
                id=uuid.uuid4(),
                call_id=call_id,
                organization_id=agent.organization_id,  # type: ignore[attr-defined]
                seq=1,
                type=ringing.event_type.value,
                occurred_at=datetime.now(UTC),
                data=ringing.to_data(),
            )
        room = f"call-{call_id.hex}"
        await rooms.create_room(
            name=room,
            metadata={"call_id": str(call_id), "organization_id": str(agent.organization_id)},  # type: ignore[attr-defined]
            max_duration=snapshot.max_call_duration_seconds,
        )
        await Call.filter(id=call_id).update(livekit_room=room)
        body = (
            '<?xml version="1.0" encoding="UTF-8"?><Response><Dial answerOnBridge="true">'
            f"<Sip>sip:{room}@{settings.livekit_sip_host};transport=tcp</Sip></Dial></Response>"
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
        config = tortoise_config(_baseline_database_url())
        async with RegisterTortoise(app, config=config), settled():
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


def api_app_with_dispatcher():  # type: ignore[no-untyped-def]
    """The real API server as a replica runs it, its background loops included (the partner
    webhook dispatcher, the call janitor, the mail sender): the load test's servers."""
    return create_app(get_settings(), run_background_tasks=True, settle_heap=True)
