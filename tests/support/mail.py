"""What the product mailed, as the sender would send it, and the single-use token in its link.

The outbox keeps links sealed (and a requested mail is only composed by the sender), so the
mails are read the way the sender reads them: `core.email.sender.prepare`, which composes a
requested mail (its token is minted then) and opens its sealed links. The session's server
runs no sender, so nothing is sent; a mail whose link died (used, replaced, expired) or that
has nothing to send (no such account) is left out, as the sender would leave it unsent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.email.sender import prepare
from core.settings import Settings
from orm.models import EmailOutbox

_TOKEN_IN_LINK = re.compile(r"[?&]token=([A-Za-z0-9_\-]+)")
_settings: Settings | None = None


def use_settings(settings: Settings) -> None:
    """The settings of the server whose mail this reads (its keys and dashboard URL)."""
    global _settings
    _settings = settings


def server_settings() -> Settings:
    assert _settings is not None, "tests/conftest.py's server fixture binds the settings"
    return _settings


@dataclass(frozen=True)
class Mail:
    """A mail as it would go out, and its outbox row."""

    row: EmailOutbox
    subject: str
    text_body: str
    html_body: str


async def mails(email: str, template: str) -> list[Mail]:
    """The mails of this template that would go out to this address, oldest first."""
    out = []
    # Twice: composing a newer mail may kill an older one's link (one live link per purpose).
    for final in (False, True):
        rows = await EmailOutbox.filter(
            to_address=email, template=template, status__in=("pending", "sent", "logged")
        ).order_by("created_at", "id")
        for row in rows:
            outgoing = await prepare(row, settings=server_settings())
            if final and outgoing is not None:
                out.append(Mail(row, outgoing.subject, outgoing.text, outgoing.html))
    return out


def token_in(mail: Mail) -> str:
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
