"""The background sender: delivers what the outbox holds, with retries and backoff.

A mail is claimed before sending (a lease), so several API replicas can run
the sender side by side without sending a mail twice; a crashed sender's
lease simply expires.

Under the lease a mail is prepared as it goes out: composed if it was only requested
(core/email/composition.py), and its sealed links opened and put in place of their
placeholders. The row keeps its sealed links only while the mail may still be sent: they are
blanked once it is sent or given up on, and when they expire before that, the mail is
discarded unsent.
"""

from __future__ import annotations

import asyncio
import html
import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from tortoise.expressions import Q

from core import tenancy
from core.background import raise_if_cancelling
from core.email import outbox
from core.email.composition import NoComposer, composer_of
from core.email.link_sealing import LinkSealError, mail_link_keys_of, open_links
from core.settings import Settings
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


async def send_due(
    *, mailer: Mailer, max_attempts: int, settings: Settings, limit: int = 20
) -> int:
    """Send the mail that is due now; returns how many were handled.

    Mail and accounts are not an organization's rows: the sender reaches none."""
    with tenancy.scoped(tenancy.NOTHING):
        return await _send_due(
            mailer=mailer, max_attempts=max_attempts, settings=settings, limit=limit
        )


async def _send_due(*, mailer: Mailer, max_attempts: int, settings: Settings, limit: int) -> int:
    now = datetime.now(UTC)
    await (
        EmailOutbox.filter(secret_expires_at__lte=now)
        .exclude(sealed_values=None)
        .update(sealed_values=None)
    )
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
        await _deliver(row, mailer=mailer, max_attempts=max_attempts, settings=settings)
    return handled


async def prepare(row: EmailOutbox, *, settings: Settings) -> OutgoingMail | None:
    """The mail as it goes out: composed first if it was only requested, its sealed links
    opened; None when there is nothing to send (no such account, or its link died first).
    Raises LinkSealError when its links do not open here."""
    if row.to_compose:
        composed = await composer_of(row.template)(row, settings)
        if composed is None:
            return None
        await outbox.store_composed(
            row, values=composed.values, secret=composed.secret, settings=settings
        )
    secrets: dict[str, str] = {}
    if row.secret_ref is not None:
        expired = row.secret_expires_at is not None and row.secret_expires_at <= datetime.now(UTC)
        if row.sealed_values is None or expired:
            return None
        secrets = open_links(row.sealed_values, mail_id=row.id, keys=mail_link_keys_of(settings))
    escaped = {name: html.escape(value) for name, value in secrets.items()}
    return OutgoingMail(
        row.id,
        row.to_address,
        outbox.fill(row.subject, secrets),
        outbox.fill(row.text_body, secrets),
        outbox.fill(row.html_body, escaped),
    )


async def _deliver(
    row: EmailOutbox, *, mailer: Mailer, max_attempts: int, settings: Settings
) -> None:
    attempts = row.attempts + 1
    try:
        mail = await prepare(row, settings=settings)
    except (LinkSealError, NoComposer) as error:
        # Its links do not open (another row's, a key no longer in ENCRYPTION_KEYS), or no
        # composer knows its template: retrying cannot help.
        await _close(row, "failed", last_error=str(error))
        log.warning("mail cannot be prepared; not sent", extra={"mail_id": str(row.id)})
        return
    if mail is None:
        await _close(row, "discarded")
        return
    try:
        provider_id = await mailer.send(mail)
    except MailDeliveryError as error:
        gave_up = error.permanent or attempts >= max_attempts
        changes = {"sealed_values": None} if gave_up else {}
        await EmailOutbox.filter(id=row.id).update(
            attempts=attempts,
            last_error=str(error)[:1000],
            status="failed" if gave_up else "pending",
            next_attempt_at=datetime.now(UTC) + backoff(attempts),
            claimed_until=None,
            **changes,
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
        sealed_values=None,
    )


async def _close(row: EmailOutbox, status: str, *, last_error: str | None = None) -> None:
    """Nothing will be sent: forget the links, keep the row for the record."""
    await EmailOutbox.filter(id=row.id).update(
        status=status, last_error=last_error, sealed_values=None, claimed_until=None
    )


async def run_sender(
    *, mailer: Mailer, max_attempts: int, interval_seconds: float, settings: Settings
) -> None:
    """Loop forever (until cancelled); a failing pass is logged and retried next tick."""
    while True:
        try:
            while await send_due(mailer=mailer, max_attempts=max_attempts, settings=settings) > 0:
                pass
        except asyncio.CancelledError:
            raise
        except Exception:
            raise_if_cancelling()
            log.exception("mail sender pass failed")
        raise_if_cancelling()
        await asyncio.sleep(interval_seconds)
