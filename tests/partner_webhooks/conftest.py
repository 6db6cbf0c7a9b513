"""`receiver`: a partner's webhook endpoint (tests/fakes/partner_receiver.py), running."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from tests.fakes.partner_receiver import PartnerReceiver


@pytest_asyncio.fixture
async def receiver() -> AsyncIterator[PartnerReceiver]:
    async with PartnerReceiver() as running:
        yield running


# The fake Gemini of the analysis tests, for the call whose analysis reaches a partner.
from tests.call_analysis.conftest import gemini, gemini_server  # noqa: E402, F401
