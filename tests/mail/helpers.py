"""Rows for the sender tests, and running the sender as the app's loop would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.email import outbox
from core.email.sender import Mailer, send_due
from orm.models import EmailOutbox
from tests.support.factories import unique_email

API_KEY = "re_test_0123456789"
SENDER = "Voice Agents <no-reply@voiceagents.test>"


async def queue_mail(to_address: str | None = None, secret: str = "s3cret") -> EmailOutbox:
    return await outbox.enqueue(
        to_address=to_address or unique_email("mail"),
        template="password_reset",
        values={
            "full_name": "Ada Lovelace",
            "link": f"https://dashboard.test/reset?token={secret}",
            "expires_in": "1 hour",
        },
    )


async def make_due(row: EmailOutbox) -> None:
    """Skip the backoff: the row is due again now."""
    await EmailOutbox.filter(id=row.id).update(
        next_attempt_at=datetime.now(UTC) - timedelta(seconds=1)
    )


async def send_all_due(mailer: Mailer, max_attempts: int = 8) -> None:
    """Run passes until nothing is due, as the app's sender loop does."""
    while await send_due(mailer=mailer, max_attempts=max_attempts) > 0:
        pass


async def reload(row: EmailOutbox) -> EmailOutbox:
    return await EmailOutbox.get(id=row.id)
