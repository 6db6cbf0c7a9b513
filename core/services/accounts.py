"""Accounts: sign-up, sign-in, email verification, password reset."""

from __future__ import annotations

import enum
import re
from datetime import UTC, datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.email import outbox
from core.email.templates import humanize_seconds
from core.errors import FieldError, ServiceError
from core.security.passwords import hash_password, password_problem, verify_password
from core.security.tokens import AccessTokenCodec, digest, new_secret
from core.services import sessions, sign_in_throttle
from core.settings import Settings
from orm.models import OneTimeToken, User

_EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
EMAIL_VERIFICATION = "email_verification"
PASSWORD_RESET = "password_reset"


class AccountErrorCode(enum.Enum):
    INVALID_EMAIL = "invalid_email"
    EMAIL_TAKEN = "email_taken"
    WEAK_PASSWORD = "weak_password"
    INVALID_FULL_NAME = "invalid_full_name"
    INVALID_CREDENTIALS = "invalid_credentials"
    TOO_MANY_ATTEMPTS = "too_many_attempts"
    INVALID_TOKEN = "invalid_token"
    ALREADY_VERIFIED = "already_verified"


def normalize_email(email: str) -> str:
    return email.strip().lower()


def email_problem(email: str) -> str | None:
    if len(email) > 320 or not _EMAIL_RE.match(email):
        return "Enter a valid email address."
    return None


async def sign_up(
    *,
    email: str,
    password: str,
    full_name: str,
    codec: AccessTokenCodec,
    settings: Settings,
    client_address: str | None = None,
    user_agent: str | None = None,
) -> sessions.IssuedTokens:
    """Create an account, mail a verification link and sign the person in."""
    email = normalize_email(email)
    full_name = full_name.strip()
    problems = []
    if message := email_problem(email):
        problems.append(FieldError("email", message, AccountErrorCode.INVALID_EMAIL))
    if message := password_problem(password, email=email):
        problems.append(FieldError("password", message, AccountErrorCode.WEAK_PASSWORD))
    if not 1 <= len(full_name) <= 200:
        problems.append(
            FieldError(
                "fullName",
                "Enter your name (up to 200 characters).",
                AccountErrorCode.INVALID_FULL_NAME,
            )
        )
    if problems:
        raise ServiceError(*problems)
    taken = ServiceError.single(
        AccountErrorCode.EMAIL_TAKEN, "An account with this email already exists.", "email"
    )
    if await User.exists(email=email):
        raise taken
    password_hash = await hash_password(password)
    try:
        async with in_transaction():
            user = await User.create(email=email, password_hash=password_hash, full_name=full_name)
            await _mail_token(user=user, purpose=EMAIL_VERIFICATION, settings=settings)
    except IntegrityError as error:  # a concurrent sign-up with the same email won
        raise taken from error
    return await sessions.start(
        user=user,
        codec=codec,
        settings=settings,
        client_address=client_address,
        user_agent=user_agent,
    )


async def sign_in(
    *,
    email: str,
    password: str,
    codec: AccessTokenCodec,
    settings: Settings,
    client_address: str,
    user_agent: str | None = None,
) -> sessions.IssuedTokens:
    """Check credentials; a wrong email and a wrong password get the same answer."""
    email = normalize_email(email)
    if await sign_in_throttle.is_throttled(
        email=email, client_address=client_address, settings=settings
    ):
        raise ServiceError.single(
            AccountErrorCode.TOO_MANY_ATTEMPTS,
            "Too many failed sign-in attempts. Wait a few minutes and try again.",
        )
    user = await User.get_or_none(email=email)
    password_ok = await verify_password(password, user.password_hash if user else None)
    if user is None or not password_ok or not user.is_active:
        await sign_in_throttle.record_failure(
            email=email, client_address=client_address, settings=settings
        )
        raise ServiceError.single(
            AccountErrorCode.INVALID_CREDENTIALS, "The email or password is incorrect."
        )
    await sign_in_throttle.clear(email=email)
    return await sessions.start(
        user=user,
        codec=codec,
        settings=settings,
        client_address=client_address,
        user_agent=user_agent,
    )


async def request_email_verification(*, user: User, settings: Settings) -> None:
    """Mail a fresh verification link (earlier links stop working)."""
    if user.email_verified_at is not None:
        raise ServiceError.single(
            AccountErrorCode.ALREADY_VERIFIED, "Your email address is already verified."
        )
    async with in_transaction():
        await _mail_token(user=user, purpose=EMAIL_VERIFICATION, settings=settings)


async def verify_email(*, token: str) -> User:
    """Mark the email verified with a mailed single-use token."""
    async with in_transaction():
        row = await _consume_token(token=token, purpose=EMAIL_VERIFICATION)
        user = await User.get(id=row.user_id)  # type: ignore[attr-defined]
        if user.email_verified_at is None:
            user.email_verified_at = datetime.now(UTC)
            await user.save(update_fields=["email_verified_at", "updated_at"])
    return user


async def request_password_reset(*, email: str, settings: Settings) -> None:
    """Mail a reset link if the account exists; the answer is the same either way."""
    user = await User.get_or_none(email=normalize_email(email), is_active=True)
    if user is None:
        return
    async with in_transaction():
        await _mail_token(user=user, purpose=PASSWORD_RESET, settings=settings)


async def reset_password(*, token: str, new_password: str) -> User:
    """Set a new password with a mailed single-use token, and sign out every session."""
    async with in_transaction():
        row = await _consume_token(token=token, purpose=PASSWORD_RESET, peek=True)
        user = await User.get(id=row.user_id)  # type: ignore[attr-defined]
        if message := password_problem(new_password, email=user.email):
            raise ServiceError.single(AccountErrorCode.WEAK_PASSWORD, message, "newPassword")
        await _consume_token(token=token, purpose=PASSWORD_RESET)
        user.password_hash = await hash_password(new_password)
        # Whoever could read the mailbox has now proved they own the address.
        user.email_verified_at = user.email_verified_at or datetime.now(UTC)
        await user.save(update_fields=["password_hash", "email_verified_at", "updated_at"])
        await sessions.revoke_all(user_id=user.id, reason="password_reset")
    return user


async def _mail_token(*, user: User, purpose: str, settings: Settings) -> None:
    ttl = (
        settings.email_token_ttl_seconds
        if purpose == EMAIL_VERIFICATION
        else settings.password_reset_ttl_seconds
    )
    # One live token per purpose: a new mail supersedes the previous link.
    await OneTimeToken.filter(user_id=user.id, purpose=purpose, used_at=None).delete()
    token = new_secret("vaot")
    await OneTimeToken.create(
        user=user,
        purpose=purpose,
        token_hash=digest(token),
        expires_at=datetime.now(UTC) + timedelta(seconds=ttl),
    )
    path = "verify-email" if purpose == EMAIL_VERIFICATION else "reset-password"
    await outbox.enqueue(
        to_address=user.email,
        template=purpose,
        values={
            "full_name": user.full_name,
            "link": f"{settings.dashboard_url.rstrip('/')}/{path}?token={token}",
            "expires_in": humanize_seconds(ttl),
        },
    )


async def _consume_token(*, token: str, purpose: str, peek: bool = False) -> OneTimeToken:
    invalid = ServiceError.single(
        AccountErrorCode.INVALID_TOKEN, "This link is invalid, used or expired.", "token"
    )
    now = datetime.now(UTC)
    row = await OneTimeToken.get_or_none(
        token_hash=digest(token), purpose=purpose, used_at=None, expires_at__gt=now
    )
    if row is None:
        raise invalid
    if peek:
        return row
    # Single use even under concurrency: only one update can flip used_at.
    if not await OneTimeToken.filter(id=row.id, used_at=None).update(used_at=now):
        raise invalid
    return row
