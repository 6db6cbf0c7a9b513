"""Mails composed when they are sent, for requests that must not reveal what they find.

A password-reset request, or a sign-up with an address that may already have an account, only
writes a row (`outbox.request`): the answer and the work are the same whether or not there is
an account. The sender later asks the template's composer what to send: its values, its secret
(a link with a fresh token, minted only now), or None when there is nothing to send.

The domain modules register their composers (`@composer("password_reset")`) when they are
imported; the API process, which runs the sender, imports them all.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from core.email.outbox import MailSecret
from core.settings import Settings
from orm.models import EmailOutbox


@dataclass(frozen=True)
class Composed:
    values: dict[str, str]
    secret: MailSecret | None = None


Composer = Callable[[EmailOutbox, Settings], Awaitable[Composed | None]]

_COMPOSERS: dict[str, Composer] = {}


def composer(template: str) -> Callable[[Composer], Composer]:
    """Register the function that composes requested mails of this template."""

    def register(function: Composer) -> Composer:
        if _COMPOSERS.get(template, function) is not function:
            raise ValueError(f"two composers for the {template!r} mail")
        _COMPOSERS[template] = function
        return function

    return register


class NoComposer(Exception):
    """No composer is registered for the mail's template."""


def composer_of(template: str) -> Composer:
    try:
        return _COMPOSERS[template]
    except KeyError:
        raise NoComposer(f"no composer for the {template!r} mail") from None
