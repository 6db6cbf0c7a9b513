"""The outbox sender tests: they run `send_due` themselves (the session's server runs no
mail sender), on the session server's database."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from orm.models import EmailOutbox
from tests.fakes.resend import FakeResend
from tests.support.servers import RunningServer


@pytest_asyncio.fixture(autouse=True)
async def _empty_outbox(server: RunningServer) -> None:
    """Each test starts with no mail queued: `send_due` sends every due row, and a row an
    earlier test left to back off (30 s) comes due again if the run is slow."""
    await EmailOutbox.all().delete()


@pytest_asyncio.fixture
async def fake_resend() -> AsyncIterator[FakeResend]:
    async with FakeResend() as fake:
        yield fake
