"""Writing mail to the outbox. Call inside the transaction of the change that owes the mail."""

from __future__ import annotations

from datetime import UTC, datetime

from core.email.templates import render
from orm.models import EmailOutbox


async def enqueue(*, to_address: str, template: str, values: dict[str, str]) -> EmailOutbox:
    """Render a template and queue the mail for the sender."""
    mail = render(template, values)
    return await EmailOutbox.create(
        to_address=to_address,
        template=template,
        subject=mail.subject,
        text_body=mail.text,
        html_body=mail.html,
        next_attempt_at=datetime.now(UTC),
    )
