"""Fixtures more than one suite uses: the fake vendors, and the API wired to them.

Each fake runs once per session on its own port; its per-test fixture hands it over with a
clean slate (no objects, recorded requests or scripted failures), running.
Registered for the whole suite by `pytest_plugins` in tests/conftest.py.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from tests.fakes.google import FakeGoogle
from tests.fakes.livekit import FakeLiveKit
from tests.fakes.stripe import FakeStripe
from tests.fakes.twilio import FakeTwilio
from tests.support.backends import BUS_KINDS, Buses, make_buses
from tests.support.servers import APP_BASE_URL, RunningServer
from tests.support.telephony import (
    LIVEKIT_API_KEY,
    LIVEKIT_API_SECRET,
    OUTBOUND_TRUNK_ID,
    TRUNK_NUMBER,
    TWILIO_AUTH_TOKEN,
    Telephony,
    telephony_app,
)


@pytest_asyncio.fixture(scope="session")
async def livekit_server() -> AsyncIterator[FakeLiveKit]:
    async with FakeLiveKit(LIVEKIT_API_KEY, LIVEKIT_API_SECRET) as fake:
        yield fake


@pytest_asyncio.fixture
async def livekit(livekit_server: FakeLiveKit) -> FakeLiveKit:
    """The fake LiveKit, running (a test may have stopped it), with a clean slate but for
    what `voiceagents livekit setup` leaves in a project: the outbound trunk the test
    settings name (OUTBOUND_TRUNK_ID)."""
    livekit_server.reset()
    livekit_server.add_outbound_trunk(trunk_id=OUTBOUND_TRUNK_ID, numbers=[TRUNK_NUMBER])
    await livekit_server.start()
    return livekit_server


@pytest_asyncio.fixture
async def telephony(server: RunningServer, livekit: FakeLiveKit) -> AsyncIterator[Telephony]:
    """The API in-process with Twilio and the fake LiveKit configured."""
    async with telephony_app(server.settings, livekit) as running:
        yield running


@pytest_asyncio.fixture(scope="session")
async def stripe_server() -> AsyncIterator[FakeStripe]:
    async with FakeStripe() as fake:
        yield fake


@pytest.fixture
def stripe_fake(stripe_server: FakeStripe) -> FakeStripe:
    """The fake Stripe with a clean slate: no objects, requests, keys or failures."""
    stripe_server.reset()
    return stripe_server


@pytest_asyncio.fixture(scope="session")
async def twilio_server() -> AsyncIterator[FakeTwilio]:
    """Twilio's REST API for the whole session: the suite's settings (and so the session's
    server and the factories) use its account."""
    async with FakeTwilio(auth_token=TWILIO_AUTH_TOKEN) as fake:
        yield fake


@pytest_asyncio.fixture
async def twilio_fake(twilio_server: FakeTwilio) -> FakeTwilio:
    """The fake Twilio, running (a test may have stopped it), with a clean slate: nothing
    for sale, no numbers in the account, no calls, rules or failures."""
    twilio_server.reset()
    await twilio_server.start()
    return twilio_server


@pytest_asyncio.fixture(scope="session")
async def google_server() -> AsyncIterator[FakeGoogle]:
    # The calendar tool's connection and sign-in with Google, on one client.
    callbacks = {f"{APP_BASE_URL}/oauth/google/callback", f"{APP_BASE_URL}/auth/google/callback"}
    async with FakeGoogle(redirect_uris=callbacks) as fake:
        yield fake


@pytest.fixture
def google(google_server: FakeGoogle) -> FakeGoogle:
    """The fake Google with a clean slate: no grants, events or recorded requests."""
    google_server.reset()
    return google_server


@pytest_asyncio.fixture(params=BUS_KINDS)
async def buses(request: pytest.FixtureRequest) -> AsyncIterator[Buses]:
    """Each test using it runs on the in-process bus, and on Redis when it is configured."""
    pair = make_buses(request.param)
    try:
        yield pair
    finally:
        await pair.close()
