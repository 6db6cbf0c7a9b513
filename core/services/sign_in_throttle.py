"""Throttling of sign-in guesses, per email and per client address.

Kept in the database so every API replica counts the same failures.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.settings import Settings
from orm.models import SignInFailure


async def is_throttled(*, email: str, client_address: str, settings: Settings) -> bool:
    """True when this email or this address has failed too often in the window."""
    since = datetime.now(UTC) - timedelta(seconds=settings.sign_in_window_seconds)
    by_email = await SignInFailure.filter(email=email, created_at__gte=since).count()
    if by_email >= settings.sign_in_max_failures_per_email:
        return True
    by_address = await SignInFailure.filter(
        client_address=client_address, created_at__gte=since
    ).count()
    return by_address >= settings.sign_in_max_failures_per_address


async def record_failure(*, email: str, client_address: str, settings: Settings) -> None:
    """Count one failed attempt and forget those older than the window."""
    now = datetime.now(UTC)
    await SignInFailure.create(email=email, client_address=client_address)
    await SignInFailure.filter(
        created_at__lt=now - timedelta(seconds=settings.sign_in_window_seconds)
    ).delete()


async def clear(*, email: str) -> None:
    await SignInFailure.filter(email=email).delete()
