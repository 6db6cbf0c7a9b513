"""Fixtures for the outbox sender tests.

The test server runs the app's own sender (with the logging mailer) in this very
process every 0.05 s; it would mark these tests' rows `logged` before they could
call `send_due` themselves. `quiet_app_sender` parks it for the duration of a test:
the app's loop looks `send_due` up in its module on every pass, so replacing that
name idles the loop, while the tests call the real function they imported.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest_asyncio

from core.email import sender
from tests.mail.fake_resend import FakeResend, free_port


@pytest_asyncio.fixture
async def quiet_app_sender(server, monkeypatch) -> AsyncIterator[None]:
    # Let the app's sender drain what earlier tests queued, then park it.
    await asyncio.sleep(server.settings.email_send_interval_seconds * 4)

    async def idle(**kwargs) -> int:
        return 0

    monkeypatch.setattr(sender, "send_due", idle)
    # A pass already under way finishes with the rows it had selected before the swap.
    await asyncio.sleep(server.settings.email_send_interval_seconds * 4)
    yield


@pytest_asyncio.fixture
async def fake_resend(quiet_app_sender) -> AsyncIterator[FakeResend]:
    fake = FakeResend(port=free_port())
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()
