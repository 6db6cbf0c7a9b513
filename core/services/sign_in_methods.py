"""The ways a user signs in (a password, linked Google accounts), and the rule that at
least one always remains.

An account created by signing in with Google has no password (its hash is NO_PASSWORD, which
no password verifies against). Its owner may set one with `set_password`, which asks for a
session signed in within RECENT_SIGN_IN_SECONDS: a refresh token stolen from an old session
could otherwise add a password, a way in that outlives every session and that Google knows
nothing of. A password already set is changed only through the mailed reset link.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from tortoise.transactions import in_transaction

from core.errors import NotFound, ServiceError
from core.security.passwords import NO_PASSWORD, hash_password, password_problem
from core.services.accounts import AccountErrorCode
from core.services.google_sign_in import GoogleSignInErrorCode
from orm.models import AuthSession, GoogleIdentity, User

RECENT_SIGN_IN_SECONDS = 600


def has_password(user: User) -> bool:
    return user.password_hash != NO_PASSWORD


async def unlink_google(*, user: User, subject: str) -> None:
    """Unlink one of the user's Google accounts (by Google's `sub`), unless it is their last
    way to sign in; NotFound when it is not linked to them."""
    async with in_transaction():
        # Locked: two unlinks at once must not each count the other's identity as remaining.
        locked = await User.filter(id=user.id).select_for_update().first()
        identity = await GoogleIdentity.get_or_none(subject=subject, user_id=user.id)
        if locked is None or identity is None:
            raise NotFound("Google identity")
        others = await GoogleIdentity.filter(user_id=user.id).exclude(id=identity.id).count()
        if not has_password(locked) and others == 0:
            raise ServiceError.single(
                GoogleSignInErrorCode.LAST_SIGN_IN_METHOD,
                "This is your only way to sign in. Set a password first.",
                "subject",
            )
        await identity.delete()


async def set_password(*, user: User, session_id: uuid.UUID | None, password: str) -> User:
    """Give a password-less account (created through Google) a password."""
    if has_password(user):
        raise _already_set()
    session = await AuthSession.get_or_none(id=session_id, user_id=user.id, revoked_at=None)
    recent = datetime.now(UTC) - timedelta(seconds=RECENT_SIGN_IN_SECONDS)
    if session is None or session.created_at < recent:
        raise ServiceError.single(
            AccountErrorCode.RECENT_SIGN_IN_REQUIRED,
            "For your security, sign in again before setting a password.",
        )
    if message := password_problem(password, email=user.email):
        raise ServiceError.single(AccountErrorCode.WEAK_PASSWORD, message, "password")
    password_hash = await hash_password(password)
    # Only over no password: a concurrent set (or reset) that came first is kept.
    if not await User.filter(id=user.id, password_hash=NO_PASSWORD).update(
        password_hash=password_hash, updated_at=datetime.now(UTC)
    ):
        raise _already_set()
    return await User.get(id=user.id)


def _already_set() -> ServiceError:
    return ServiceError.single(
        AccountErrorCode.PASSWORD_ALREADY_SET,
        "Your account already has a password. To change it, use the password reset.",
    )
