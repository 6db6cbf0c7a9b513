"""The background sender: delivers what the outbox holds, with retries and backoff.

A mail is claimed before sending (a lease), so several API replicas can run
the sender side by side without sending a mail twice; a crashed sender's
lease simply expires.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from tortoise.expressions import Q

from orm.models import EmailOutbox

log = logging.getLogger(__name__)

CLAIM_SECONDS = 120
BASE_BACKOFF_SECONDS = 30
MAX_BACKOFF_SECONDS = 6 * 3600


@dataclass(frozen=True)
class OutgoingMail:
    id: uuid.UUID
    to_address: str
    subject: str
    text: str
    html: str


class MailDeliveryError(Exception):
    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class Mailer(Protocol):
    status_on_success: str

    async def send(self, mail: OutgoingMail) -> str | None:
        """Deliver one mail; return the provider's message id. Raise MailDeliveryError."""


class LoggingMailer:
    """Used when no provider is configured: the mail stays in the outbox, marked `logged`."""

    status_on_success = "logged"

    async def send(self, mail: OutgoingMail) -> str | None:
        # Recipient and subject only: bodies carry single-use links.
        log.info(
            "mail not sent (RESEND_API_KEY is unset); kept in email_outbox",
            extra={"mail_id": str(mail.id), "to": mail.to_address, "subject": mail.subject},
        )
        return None


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(MAX_BACKOFF_SECONDS, BASE_BACKOFF_SECONDS * 2 ** (attempts - 1)))


async def send_due(*, mailer: Mailer, max_attempts: int, limit: int = 20) -> int:
    """Send the mail that is due now; returns how many were handled."""
    now = datetime.now(UTC)
    free = Q(claimed_until=None) | Q(claimed_until__lt=now)
    due = (
        await EmailOutbox.filter(free, status="pending", next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .limit(limit)
    )
    handled = 0
    for row in due:
        claimed = await EmailOutbox.filter(free, id=row.id, status="pending").update(
            claimed_until=now + timedelta(seconds=CLAIM_SECONDS)
        )
        if not claimed:
            continue  # another sender took it
        handled += 1
        await _deliver(row, mailer=mailer, max_attempts=max_attempts)
    return handled


async def _deliver(row: EmailOutbox, *, mailer: Mailer, max_attempts: int) -> None:
    mail = OutgoingMail(row.id, row.to_address, row.subject, row.text_body, row.html_body)
    attempts = row.attempts + 1
    try:
        provider_id = await mailer.send(mail)
    except MailDeliveryError as error:
        gave_up = error.permanent or attempts >= max_attempts
        await EmailOutbox.filter(id=row.id).update(
            attempts=attempts,
            last_error=str(error)[:1000],
            status="failed" if gave_up else "pending",
            next_attempt_at=datetime.now(UTC) + backoff(attempts),
            claimed_until=None,
        )
        log.warning(
            "mail delivery failed",
            extra={"mail_id": str(row.id), "attempts": attempts, "gave_up": gave_up},
        )
        return
    await EmailOutbox.filter(id=row.id).update(
        attempts=attempts,
        status=mailer.status_on_success,
        provider_message_id=provider_id,
        sent_at=datetime.now(UTC),
        last_error=None,
        claimed_until=None,
    )


async def run_sender(*, mailer: Mailer, max_attempts: int, interval_seconds: float) -> None:
    """Loop forever (until cancelled); a failing pass is logged and retried next tick."""
    while True:
        try:
            while await send_due(mailer=mailer, max_attempts=max_attempts) > 0:
                pass
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("mail sender pass failed")
        await asyncio.sleep(interval_seconds)
