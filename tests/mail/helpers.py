"""Rows for the sender tests, and running the sender as the app's loop would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.email import outbox
from core.email.sender import Mailer, send_due
from core.integrations.resend_mailer import ResendMailer
from orm.models import EmailOutbox
from tests.support.factories import unique_email
from tests.support.mail import server_settings

API_KEY = "re_test_0123456789"
SENDER = "Voice Agents <no-reply@voiceagents.test>"
# The token in the link of the mails `queue_mail` writes.
LINK_SECRET = "s3cret-link-token-0f1e2d3c4b5a6978"


async def queue_mail(
    to_address: str | None = None,
    secret: str = LINK_SECRET,
    *,
    expires_at: datetime | None = None,
    ref: str | None = None,
) -> EmailOutbox:
    """A password-reset mail whose link (sealed on the row) carries `secret`."""
    return await outbox.enqueue(
        to_address=to_address or unique_email("mail"),
        template="password_reset",
        values={"full_name": "Ada Lovelace", "expires_in": "1 hour"},
        secret=outbox.MailSecret(
            values={"link": f"https://dashboard.test/reset?token={secret}"},
            ref=ref or f"test:{unique_email('ref')}",
            expires_at=expires_at or datetime.now(UTC) + timedelta(hours=1),
        ),
        settings=server_settings(),
    )


def mailer_for(url: str) -> ResendMailer:
    return ResendMailer(api_key=API_KEY, api_url=url, sender=SENDER)


async def make_due(row: EmailOutbox) -> None:
    """Skip the backoff: the row is due again now."""
    await EmailOutbox.filter(id=row.id).update(
        next_attempt_at=datetime.now(UTC) - timedelta(seconds=1)
    )


async def send_all_due(mailer: Mailer, max_attempts: int = 8) -> None:
    """Run passes until nothing is due, as the app's sender loop does."""
    while await send_due(mailer=mailer, max_attempts=max_attempts, settings=server_settings()) > 0:
        pass


async def reload(row: EmailOutbox) -> EmailOutbox:
    return await EmailOutbox.get(id=row.id)
