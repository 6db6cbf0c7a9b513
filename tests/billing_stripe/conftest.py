from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest_asyncio

from core.events import build_bus
from core.integrations.livekit_rooms import LiveKitRooms
from graphql_api.app import create_app
from tests.billing_stripe.helpers import APP_BASE_URL, BillingApp
from tests.conftest import GraphQLClient, RunningServer
from tests.fakes.stripe import FakeStripe


@pytest_asyncio.fixture(scope="session")
async def stripe_server() -> AsyncIterator[FakeStripe]:
    async with FakeStripe() as fake:
        yield fake


@pytest_asyncio.fixture
async def stripe_fake(stripe_server: FakeStripe) -> FakeStripe:
    """The fake Stripe with a clean slate: no objects, requests, keys or failures."""
    stripe_server.reset()
    return stripe_server


@pytest_asyncio.fixture(scope="session")
async def billing_session(
    server: RunningServer, stripe_server: FakeStripe
) -> AsyncIterator[BillingApp]:
    settings = server.settings.model_copy(update=stripe_server.settings_overrides())
    bus = build_bus(settings.redis_url)
    # Made here and closed below: ASGITransport runs no lifespan to close them.
    rooms = LiveKitRooms(settings)
    app = create_app(settings, run_mail_sender=False, bus=bus, rooms=rooms)
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url=APP_BASE_URL, timeout=30
        ) as http:
            yield BillingApp(settings, http, GraphQLClient(http), stripe_server)
    finally:
        await rooms.aclose()
        await bus.close()


@pytest_asyncio.fixture
async def billing(billing_session: BillingApp, stripe_fake: FakeStripe) -> BillingApp:
    """The API in-process with Stripe (the fake) configured, on the session's database."""
    return billing_session
