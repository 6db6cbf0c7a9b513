"""Accounts: sign-up, sign-in, email verification, password reset."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core.email import outbox
from core.errors import DescribedEnum, FieldError, ServiceError
from core.events import EventBus, RevocationKind
from core.security.passwords import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    hash_password,
    password_problem,
    verify_password,
)
from core.security.tokens import AccessTokenCodec, digest
from core.services import account_mail, credentials, organizations, sessions, sign_in_throttle
from core.services.account_mail import EMAIL_VERIFICATION, PASSWORD_RESET, SIGN_UP_NOTICE
from core.settings import Settings
from orm.models import OneTimeToken, User

_EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")


class AccountErrorCode(DescribedEnum):
    INVALID_EMAIL = "invalid_email", "`email` is not an email address (at most 320 characters)."
    WEAK_PASSWORD = (
        "weak_password",
        f"The password is too weak: it needs {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} "
        "characters, at least 4 different ones, and must not be the email address.",
    )
    INVALID_FULL_NAME = "invalid_full_name", "`fullName` is empty or longer than 200 characters."
    INVALID_CREDENTIALS = (
        "invalid_credentials",
        "The email and password match no account (which of the two is wrong is not said).",
    )
    TOO_MANY_ATTEMPTS = (
        "too_many_attempts",
        "Too many recent attempts: failed sign-ins, or mails sent to this address. Wait a few "
        "minutes before trying again.",
    )
    INVALID_TOKEN = (
        "invalid_token",
        "The token (of a mailed link, or a refresh token) is unknown, used, revoked or expired.",
    )
    ALREADY_VERIFIED = (
        "already_verified",
        "The email address is already verified; nothing was sent.",
    )
    INVALID_CODE = (
        "invalid_code",
        "The one-time sign-in code (from the Google sign-in redirect) is unknown, used or "
        "older than 60 seconds: sign in again.",
    )
    PASSWORD_ALREADY_SET = (
        "password_already_set",
        "The account has a password already; change it with a password reset.",
    )
    RECENT_SIGN_IN_REQUIRED = (
        "recent_sign_in_required",
        "Setting a password needs a session signed in within the last 10 minutes: sign in "
        "again, then retry.",
    )


def normalize_email(email: str) -> str:
    return email.strip().lower()


def email_problem(email: str) -> str | None:
    if len(email) > 320 or not _EMAIL_RE.match(email):
        return "Enter a valid email address."
    return None


async def sign_up(*, email: str, password: str, full_name: str, settings: Settings) -> None:
    """Create an account and mail a verification link; a taken address's owner gets a notice.

    The answer and the work are the same either way (one Argon2 hash, one INSERT into users
    that succeeds or hits the unique email, one mail request), so nobody learns whether the
    address has an account. The person signs in afterwards, with signIn.
    """
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
                "full_name",
                "Enter your name (up to 200 characters).",
                AccountErrorCode.INVALID_FULL_NAME,
            )
        )
    if problems:
        raise ServiceError(*problems)
    password_hash = await hash_password(password)
    try:
        await User.create(email=email, password_hash=password_hash, full_name=full_name)
        mail = EMAIL_VERIFICATION
    except IntegrityError:  # the address has an account: only its owner hears of this
        mail = SIGN_UP_NOTICE
    await outbox.request(to_address=email, template=mail, settings=settings)


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
    try:
        # Counted before the password is checked, so simultaneous guesses cannot all pass.
        attempt = await sign_in_throttle.begin(
            email=email, client_address=client_address[:64], settings=settings
        )
    except sign_in_throttle.TooManyAttempts:
        raise ServiceError.single(
            AccountErrorCode.TOO_MANY_ATTEMPTS,
            "Too many failed sign-in attempts. Wait a few minutes and try again.",
        ) from None
    user = await User.get_or_none(email=email)
    password_ok = await verify_password(password, user.password_hash if user else None)
    if user is None or not password_ok or not user.is_active:
        await sign_in_throttle.failed(attempt, settings=settings)
        raise ServiceError.single(
            AccountErrorCode.INVALID_CREDENTIALS, "The email or password is incorrect."
        )
    await sign_in_throttle.succeeded(attempt)
    return await sessions.start(
        user=user,
        codec=codec,
        settings=settings,
        client_address=client_address,
        user_agent=user_agent,
    )


async def request_email_verification(*, user: User, settings: Settings) -> None:
    """Mail a fresh verification link (earlier links stop working when it is sent)."""
    if user.email_verified_at is not None:
        raise ServiceError.single(
            AccountErrorCode.ALREADY_VERIFIED, "Your email address is already verified."
        )
    if not await outbox.request(
        to_address=user.email, template=EMAIL_VERIFICATION, settings=settings
    ):
        raise ServiceError.single(
            AccountErrorCode.TOO_MANY_ATTEMPTS,
            "Too many mails were sent to this address lately. Try again later.",
        )


async def verify_email(*, token: str, settings: Settings) -> User:
    """Mark the email verified with a mailed single-use token."""
    async with in_transaction():
        row = await _consume_token(token=token, purpose=EMAIL_VERIFICATION)
        user = await User.get(id=row.user_id)
        if user.email_verified_at is None:
            user.email_verified_at = datetime.now(UTC)
            await user.save(update_fields=["email_verified_at", "updated_at"])
    await organizations.grant_welcome_credits(creator=user, settings=settings)
    return user


async def request_password_reset(*, email: str, settings: Settings) -> None:
    """Queue a reset mail; the sender works out whether there is an account to mail, so the
    answer and the work are the same either way."""
    email = normalize_email(email)
    if email_problem(email) is None:
        await outbox.request(to_address=email, template=PASSWORD_RESET, settings=settings)


async def reset_password(
    *, token: str, new_password: str, settings: Settings, bus: EventBus | None
) -> User:
    """Set a new password with a mailed single-use token, and sign out every session."""
    async with in_transaction():
        row = await _consume_token(token=token, purpose=PASSWORD_RESET, peek=True)
        user = await User.get(id=row.user_id)
        if message := password_problem(new_password, email=user.email):
            raise ServiceError.single(AccountErrorCode.WEAK_PASSWORD, message, "new_password")
        await _consume_token(token=token, purpose=PASSWORD_RESET)
        user.password_hash = await hash_password(new_password)
        # Whoever could read the mailbox has now proved they own the address.
        user.email_verified_at = user.email_verified_at or datetime.now(UTC)
        await user.save(update_fields=["password_hash", "email_verified_at", "updated_at"])
        await sessions.revoke_all(user_id=user.id, reason="password_reset", bus=None)
    await organizations.grant_welcome_credits(creator=user, settings=settings)
    # Announced once committed: a socket that reconnects on the notice finds them revoked.
    await credentials.announce(
        bus=bus, kind=RevocationKind.USER, subject_id=user.id, reason="password_reset"
    )
    return user


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
    # Spent: its link goes from the mail that carried it (sent or not).
    await outbox.forget_secret(ref=account_mail.token_ref(row))
    return row
