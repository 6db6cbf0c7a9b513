"""The Starlette application: /graphql, /webhooks/*, /oauth/*/callback, /auth/google/*,
/healthz, /readyz."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute
from tortoise import connections
from tortoise.contrib.starlette import RegisterTortoise

from core import background, heap
from core.email.sender import Mailer, run_sender
from core.events import EventBus, build_bus
from core.integrations.livekit_rooms import LiveKitRooms, RoomService
from core.integrations.mail import build_mailer
from core.partner_webhooks.dispatcher import Dispatcher
from core.security.tokens import AccessTokenCodec
from core.services import calls
from core.settings import Settings
from graphql_api.schema import build_schema, tracing_configured
from graphql_api.transport.body_limit import BodyLimit, limited
from graphql_api.transport.security_headers import SecurityHeaders
from graphql_api.transport.tenancy_boundary import TenancyBoundary
from graphql_api.transport.websocket_limits import WebSocketLimits
from graphql_api.view import GraphQLView
from orm.config import tortoise_config
from webhooks import livekit, stripe, twilio
from webhooks.google_sign_in import google_sign_in_callback, google_sign_in_start
from webhooks.livekit import LiveKitWebhook
from webhooks.oauth_google import google_callback
from webhooks.stripe import stripe_webhook
from webhooks.twilio import REFER_PATH, status_webhook, voice_webhook
from webhooks.twilio_dial_status import dial_status_webhook
from webhooks.twilio_refer import refer_webhook

log = logging.getLogger(__name__)


def create_app(
    settings: Settings,
    *,
    mailer: Mailer | None = None,
    run_background_tasks: bool = True,
    rooms: RoomService | None = None,
    bus: EventBus | None = None,
    settle_heap: bool = False,
) -> Any:
    """The API. `run_background_tasks=False` leaves out the mail sender, the call janitor and
    the partner webhook dispatcher (loops that change rows on their own), for a second app on
    a database already served. `settle_heap=True` (a server process: `voiceagents serve`)
    freezes what start-up built out of the garbage collector's way (core/heap.py)."""
    codec = AccessTokenCodec(settings)
    rooms = rooms or LiveKitRooms(settings)
    bus = bus or build_bus(settings)
    graphql = GraphQLView(
        build_schema(settings), settings=settings, codec=codec, bus=bus, rooms=rooms
    )
    mailer = mailer or build_mailer(settings)
    livekit_receiver = LiveKitWebhook(settings, bus, rooms)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        async with RegisterTortoise(app, config=tortoise_config(settings.database_url)):
            if settle_heap:
                heap.settle()
            sender = (
                asyncio.create_task(
                    run_sender(
                        mailer=mailer,
                        max_attempts=settings.email_max_attempts,
                        interval_seconds=settings.email_send_interval_seconds,
                        settings=settings,
                    )
                )
                if run_background_tasks
                else None
            )
            janitor = (
                asyncio.create_task(_janitor(bus, rooms, settings))
                if run_background_tasks
                else None
            )
            dispatcher = Dispatcher(settings) if run_background_tasks else None
            webhooks_out = asyncio.create_task(dispatcher.run()) if dispatcher else None
            try:
                yield
            finally:
                for task in (sender, janitor, webhooks_out):
                    if task is not None:
                        task.cancel()
                        with contextlib.suppress(asyncio.CancelledError):
                            await task
                if dispatcher is not None:
                    await dispatcher.aclose()
                await livekit_receiver.aclose()
                await bus.close()
                close_rooms = getattr(rooms, "aclose", None)
                if close_rooms is not None:
                    await close_rooms()

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> JSONResponse:
        checks = {"database": await _database_ok()}
        # The bus's own connection: Redis is checked where the app actually uses it.
        ping = getattr(bus, "ping", None)
        if ping is not None:
            checks["redis"] = await _redis_ok(ping)
        ready = all(checks.values())
        return JSONResponse(
            {"status": "ready" if ready else "unavailable", "checks": checks},
            status_code=200 if ready else 503,
        )

    middleware = []
    if settings.cors_allowed_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=settings.cors_allowed_origins,
                allow_methods=["GET", "POST", "OPTIONS"],
                allow_headers=settings.cors_allowed_headers,
                # The dashboard's agentToolOAuthStart request must be allowed to receive the
                # cookie binding the OAuth flow to its browser (never with a "*" origin).
                allow_credentials="*" not in settings.cors_allowed_origins,
                max_age=600,
            )
        )
    # Each route that reads a body reads at most its own limit, enforced while the body
    # streams in (graphql_api/transport); WebSocket messages are bounded the same way.
    graphql_http = BodyLimit(graphql, max_bytes=settings.graphql_max_body_bytes)
    graphql_ws = WebSocketLimits(
        graphql,
        max_message_bytes=settings.graphql_max_body_bytes,
        max_document_bytes=settings.max_query_bytes,
    )
    voice = limited(voice_webhook(settings, rooms, bus), max_bytes=twilio.MAX_BODY_BYTES)
    status = limited(status_webhook(settings, bus), max_bytes=twilio.MAX_BODY_BYTES)
    refer = limited(refer_webhook(settings), max_bytes=twilio.MAX_BODY_BYTES)
    dial_status = limited(
        dial_status_webhook(settings, rooms, bus), max_bytes=twilio.MAX_BODY_BYTES
    )
    livekit_events = limited(livekit_receiver.receive, max_bytes=livekit.MAX_BODY_BYTES)
    stripe_events = limited(stripe_webhook(settings), max_bytes=stripe.MAX_BODY_BYTES)
    app = Starlette(
        routes=[
            Route("/graphql", graphql_http, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", graphql_ws),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/oauth/google/callback", google_callback(settings), methods=["GET"]),
            Route("/auth/google/start", google_sign_in_start(settings), methods=["GET"]),
            Route("/auth/google/callback", google_sign_in_callback(settings), methods=["GET"]),
            Route("/webhooks/twilio/voice", voice, methods=["POST"]),
            Route("/webhooks/twilio/status", status, methods=["POST"]),
            Route(twilio.DIAL_STATUS_PATH, dial_status, methods=["POST"]),
            Route(REFER_PATH, refer, methods=["POST"]),
            Route("/webhooks/livekit", livekit_events, methods=["POST"]),
            Route("/webhooks/stripe", stripe_events, methods=["POST"]),
        ],
        middleware=middleware,
        lifespan=lifespan,
    )
    # Outside Starlette, so that its own answers (404, 405, a 500) carry the headers too.
    secured = SecurityHeaders(TenancyBoundary(app), production=settings.is_production)
    if tracing_configured():
        from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware

        return OpenTelemetryMiddleware(secured, exclude_spans=["receive", "send"])
    return secured


JANITOR_INTERVAL_SECONDS = 60.0


async def _janitor(bus: EventBus, rooms: RoomService, settings: Settings) -> None:
    """Fail calls whose worker vanished, so none stays in progress forever, and delete their
    rooms, so no caller stays on a silent line.

    Two passes on their own clocks: abandoned calls (limits of minutes) every minute, and
    outgoing calls no worker took every OUTBOUND_NO_WORKER_CHECK_SECONDS, so such a call
    ends within a few seconds of its deadline. Both read only the rows: every replica runs
    them, a restart loses nothing, and a call ends once whoever gets there first
    (`apply_status` merges). A timer per call in the process that placed it would be lost
    on a restart or deploy and would need this pass behind it anyway."""
    # A task group, not gather: cancelling a gather whose first child ends leaves the other
    # running on its own, while the group stops and waits for both.
    async with asyncio.TaskGroup() as checks:
        checks.create_task(
            background.every(
                JANITOR_INTERVAL_SECONDS,
                lambda: calls.fail_abandoned(bus=bus, rooms=rooms),
                what="call janitor",
            )
        )
        checks.create_task(
            background.every(
                settings.outbound_no_worker_check_seconds,
                lambda: calls.fail_unclaimed_outbound(bus=bus, rooms=rooms, settings=settings),
                what="call janitor",
            )
        )


async def _database_ok() -> bool:
    try:
        await asyncio.wait_for(connections.get("default").execute_query("SELECT 1"), timeout=2)
    except Exception:  # any failure means "not ready"; the reason is in the database's logs
        return False
    return True


async def _redis_ok(ping: Callable[[], Awaitable[object]]) -> bool:
    try:
        return bool(await asyncio.wait_for(ping(), timeout=2))
    except Exception:
        return False
