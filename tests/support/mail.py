"""What the product mailed: rows of the outbox, and the single-use token in their links."""

from __future__ import annotations

import re

from orm.models import EmailOutbox

_TOKEN_IN_LINK = re.compile(r"[?&]token=([A-Za-z0-9_\-]+)")


async def mails(email: str, template: str) -> list[EmailOutbox]:
    """The mails of this template written to the outbox for this address, oldest first."""
    return await EmailOutbox.filter(to_address=email, template=template).order_by(
        "created_at", "id"
    )


def token_in(mail: EmailOutbox) -> str:
    """The token in the mail's link."""
    match = _TOKEN_IN_LINK.search(mail.text_body)
    assert match, mail.text_body
    return match.group(1)


async def mailed_tokens(email: str, template: str) -> list[str]:
    """The token of every mail of this template to this address, oldest first."""
    return [token_in(mail) for mail in await mails(email, template)]


async def last_mailed_token(email: str, template: str) -> str:
    tokens = await mailed_tokens(email, template)
    assert tokens, f"no {template} mail to {email}"
    return tokens[-1]
