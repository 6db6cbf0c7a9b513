"""Throttling of sign-in guesses, kept in the database so every API replica counts the same.

An attempt is written before its password is checked, then counted: the write is committed
first (autocommit), so of N simultaneous attempts the k-th to commit counts at least k rows.
However many arrive at once, no more than the limit see a count within it, and the others are
refused before Argon2 runs. A refused attempt's row is deleted again (waiting out the window
is enough to try again); a failed one stays, marked failed, for the window; a success deletes
its own row and its address's failures for that email, and nobody else's.

Three limits, each over its own window:
- per email and client address (SIGN_IN_MAX_FAILURES_PER_EMAIL_AND_ADDRESS): the guesser's;
- per client address, any email (SIGN_IN_MAX_FAILURES_PER_ADDRESS): password spraying;
- per email, any address (SIGN_IN_MAX_FAILURES_PER_EMAIL over SIGN_IN_EMAIL_WINDOW_SECONDS),
  slower, and not applied at an address the account signed in from lately (a session started
  there within SIGN_IN_KNOWN_ADDRESS_DAYS), so strangers cannot lock the owner out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from core.settings import Settings
from orm.models import AuthSession, SignInAttempt


@dataclass(frozen=True)
class Attempt:
    id: object
    email: str
    client_address: str


class TooManyAttempts(Exception):
    """Refused before the password was checked."""


async def begin(*, email: str, client_address: str, settings: Settings) -> Attempt:
    """Count one attempt before its password is checked; raise TooManyAttempts if over a limit."""
    row = await SignInAttempt.create(email=email, client_address=client_address)
    if await _over_a_limit(email=email, client_address=client_address, settings=settings):
        await SignInAttempt.filter(id=row.id).delete()
        raise TooManyAttempts()
    return Attempt(row.id, email, client_address)


async def failed(attempt: Attempt, *, settings: Settings) -> None:
    """The password was wrong: the attempt keeps counting for the window."""
    await SignInAttempt.filter(id=attempt.id).update(failed=True)
    oldest_kept = datetime.now(UTC) - timedelta(seconds=_longest_window(settings))
    await SignInAttempt.filter(created_at__lt=oldest_kept).delete()


async def succeeded(attempt: Attempt) -> None:
    """The password was right: forget this attempt and this address's failures for the email."""
    await SignInAttempt.filter(id=attempt.id).delete()
    await SignInAttempt.filter(
        email=attempt.email, client_address=attempt.client_address, failed=True
    ).delete()


async def _over_a_limit(*, email: str, client_address: str, settings: Settings) -> bool:
    now = datetime.now(UTC)
    since = now - timedelta(seconds=settings.sign_in_window_seconds)
    mine = await SignInAttempt.filter(
        email=email, client_address=client_address, created_at__gte=since
    ).count()
    if mine > settings.sign_in_max_failures_per_email_and_address:
        return True
    from_address = await SignInAttempt.filter(
        client_address=client_address, created_at__gte=since
    ).count()
    if from_address > settings.sign_in_max_failures_per_address:
        return True
    # The same statements whether or not the account exists (no lookup of the user first).
    known_address = await AuthSession.filter(
        user__email=email,
        client_address=client_address,
        created_at__gte=now - timedelta(days=settings.sign_in_known_address_days),
    ).exists()
    for_email = await SignInAttempt.filter(
        email=email,
        created_at__gte=now - timedelta(seconds=settings.sign_in_email_window_seconds),
    ).count()
    return not known_address and for_email > settings.sign_in_max_failures_per_email


def _longest_window(settings: Settings) -> int:
    return max(settings.sign_in_window_seconds, settings.sign_in_email_window_seconds)
