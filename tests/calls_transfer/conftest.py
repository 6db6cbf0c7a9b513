"""Transfers run against the fake LiveKit and Twilio's SIP side (tests/fakes/twilio_sip.py),
with the ring and briefing windows shortened so that "nobody answers" takes a second."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from tests.fakes.livekit import FakeLiveKit
from tests.fakes.twilio_sip import PhoneNetwork, TwilioSip
from tests.support.servers import RunningServer
from tests.support.telephony import TWILIO_AUTH_TOKEN, Telephony, telephony_app

# How long a transfer target may ring in these tests (production: 30 s).
RINGING_SECONDS = 1.0


@pytest_asyncio.fixture
async def telephony(server: RunningServer, livekit: FakeLiveKit) -> AsyncIterator[Telephony]:
    async with telephony_app(
        server.settings,
        livekit,
        transfer_ringing_timeout_seconds=RINGING_SECONDS,
        transfer_briefing_timeout_seconds=5.0,
    ) as running:
        yield running


@pytest.fixture
def network() -> PhoneNetwork:
    return PhoneNetwork()


@pytest.fixture
def twilio(telephony: Telephony, network: PhoneNetwork) -> TwilioSip:
    return TwilioSip(auth_token=TWILIO_AUTH_TOKEN, app=telephony.http, network=network)
