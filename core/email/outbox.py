"""Writing mail to the outbox. Call inside the transaction of the change that owes the mail.

A mail's secret values (single-use links) never reach the table in the clear: the bodies are
rendered with a placeholder in their place, and the values are sealed to the row
(core/email/link_sealing.py) until the sender renders them into the mail it sends.

Mail a stranger can cause goes through the per-recipient limit (MAIL_MAX_PER_RECIPIENT of each
template per MAIL_RECIPIENT_WINDOW_SECONDS). The row is written first and counted after, each
statement committed on its own when no transaction is open, so simultaneous requests cannot
all see room under the limit.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from core.email.link_sealing import mail_link_keys_of, seal_links
from core.email.templates import render
from core.settings import Settings
from orm.models import EmailOutbox


@dataclass(frozen=True)
class MailSecret:
    """Template values that must never be stored in the clear (links carrying a token)."""

    values: dict[str, str]
    # What they belong to, e.g. "invitation:<id>": forget_secret(ref) blanks them.
    ref: str
    # After this they are useless: blanked, and the mail is not sent any more.
    expires_at: datetime


class TooManyMails(Exception):
    """The recipient got as many mails of this kind as the limit allows lately."""


def placeholder(name: str) -> str:
    """What the stored bodies hold where a secret value goes."""
    return f"\u27e6{name}\u27e7"


def fill(text: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        text = text.replace(placeholder(name), value)
    return text


async def enqueue(
    *,
    to_address: str,
    template: str,
    values: dict[str, str],
    secret: MailSecret | None = None,
    settings: Settings | None = None,
    limited: bool = False,
) -> EmailOutbox:
    """Render a template and queue the mail for the sender; `limited` applies the
    per-recipient limit (TooManyMails). A secret needs `settings` (its keys)."""
    row = EmailOutbox(id=uuid.uuid4(), to_address=to_address, template=template)
    _render_into(row, values, secret, settings)
    row.next_attempt_at = datetime.now(UTC)
    await row.save(force_create=True)
    if limited and not await _within_limit(row, _required(settings)):
        raise TooManyMails()
    return row


async def request(*, to_address: str, template: str, settings: Settings) -> bool:
    """Queue a mail the sender composes when it sends it (or drops, when there is nothing to
    send); False when the per-recipient limit refused it. The same statements whatever the
    sender will find, so the request reveals nothing (core/email/composition.py)."""
    row = await EmailOutbox.create(
        to_address=to_address,
        template=template,
        subject="",
        text_body="",
        html_body="",
        to_compose=True,
        next_attempt_at=datetime.now(UTC),
    )
    return await _within_limit(row, settings)


async def store_composed(
    row: EmailOutbox,
    *,
    values: dict[str, str],
    secret: MailSecret | None,
    settings: Settings,
) -> None:
    """Write a requested mail's composed bodies (and sealed secret) onto its row."""
    _render_into(row, values, secret, settings)
    row.to_compose = False
    await row.save(
        update_fields=[
            "subject",
            "text_body",
            "html_body",
            "sealed_values",
            "secret_ref",
            "secret_expires_at",
            "to_compose",
            "updated_at",
        ]
    )


async def forget_secret(*, ref: str) -> None:
    """The secret's token was used, replaced or withdrawn: blank it in every mail holding it."""
    await forget_secrets(refs=[ref])


async def forget_secrets(*, refs: list[str]) -> None:
    if refs:
        await EmailOutbox.filter(secret_ref__in=refs).update(sealed_values=None)


def _render_into(
    row: EmailOutbox,
    values: dict[str, str],
    secret: MailSecret | None,
    settings: Settings | None,
) -> None:
    # A value sent in by someone (a name) cannot pose as a placeholder.
    public = {key: str(value).replace("\u27e6", "[") for key, value in values.items()}
    hidden = {name: placeholder(name) for name in (secret.values if secret else {})}
    mail = render(row.template, {**public, **hidden})
    row.subject, row.text_body, row.html_body = mail.subject, mail.text, mail.html
    if secret is not None:
        keys = mail_link_keys_of(_required(settings))
        row.sealed_values = seal_links(secret.values, mail_id=row.id, keys=keys)
        row.secret_ref = secret.ref
        row.secret_expires_at = secret.expires_at


async def _within_limit(row: EmailOutbox, settings: Settings) -> bool:
    since = datetime.now(UTC) - timedelta(seconds=settings.mail_recipient_window_seconds)
    queued = await EmailOutbox.filter(
        to_address=row.to_address, template=row.template, created_at__gte=since
    ).count()
    if queued <= settings.mail_max_per_recipient:
        return True
    await EmailOutbox.filter(id=row.id).delete()
    return False


def _required(settings: Settings | None) -> Settings:
    if settings is None:
        raise ValueError("this mail needs the settings (sealing keys, limits)")
    return settings
