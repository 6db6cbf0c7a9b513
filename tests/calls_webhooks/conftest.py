from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest_asyncio

from core.events import build_bus
from core.integrations.livekit_rooms import LiveKitRooms
from graphql_api.app import create_app
from tests.calls_webhooks.helpers import (
    LIVEKIT_API_KEY,
    LIVEKIT_API_SECRET,
    PUBLIC_BASE_URL,
    Telephony,
    telephony_settings,
)
from tests.conftest import GraphQLClient, RunningServer
from tests.fakes.livekit import FakeLiveKit


@pytest_asyncio.fixture(scope="session")
async def livekit_server() -> AsyncIterator[FakeLiveKit]:
    async with FakeLiveKit(LIVEKIT_API_KEY, LIVEKIT_API_SECRET) as fake:
        yield fake


@pytest_asyncio.fixture
async def livekit(livekit_server: FakeLiveKit) -> FakeLiveKit:
    """The fake LiveKit, running, with no recorded requests or scripted failures."""
    livekit_server.reset()
    await livekit_server.start()
    return livekit_server


@contextlib.asynccontextmanager
async def telephony_app(
    server: RunningServer, livekit: FakeLiveKit, **overrides: Any
) -> AsyncIterator[Telephony]:
    """The API in-process with Twilio and LiveKit configured (same database)."""
    settings = telephony_settings(server.settings, livekit, **overrides)
    bus = build_bus(settings.redis_url)
    # Made here and closed below: ASGITransport runs no lifespan to close them.
    rooms = LiveKitRooms(settings)
    app = create_app(settings, run_mail_sender=False, bus=bus, rooms=rooms)
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url=PUBLIC_BASE_URL, timeout=20
        ) as http:
            yield Telephony(settings, http, GraphQLClient(http), livekit)
    finally:
        await rooms.aclose()
        await bus.close()


@pytest_asyncio.fixture
async def telephony(server: RunningServer, livekit: FakeLiveKit) -> AsyncIterator[Telephony]:
    async with telephony_app(server, livekit) as running:
        yield running
