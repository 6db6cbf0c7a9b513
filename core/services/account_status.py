"""Deactivating and reactivating people (from the CLI; there is no API for it)."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from core.events import EventBus, RevocationKind
from core.services import credentials, sessions
from core.services.accounts import normalize_email
from orm.models import User


async def deactivate(*, email: str, bus: EventBus | None) -> User:
    """Lock a person out: sign-in refused, every session ended, every socket closed."""
    user = await _user(email)
    async with in_transaction():
        user.is_active = False
        await user.save(update_fields=["is_active", "updated_at"])
        await sessions.revoke_all(user_id=user.id, reason="deactivated", bus=None)
    # Announced once committed: a socket that reconnects on the notice is refused.
    await credentials.announce(
        bus=bus, kind=RevocationKind.USER, subject_id=user.id, reason="deactivated"
    )
    return user


async def reactivate(*, email: str) -> User:
    """Let a deactivated person sign in again; the sessions they had stay ended."""
    user = await _user(email)
    if not user.is_active:
        user.is_active = True
        await user.save(update_fields=["is_active", "updated_at"])
    return user


async def _user(email: str) -> User:
    email = normalize_email(email)
    user = await User.get_or_none(email=email)
    if user is None:
        raise LookupError(f"no user with email {email}")
    return user
