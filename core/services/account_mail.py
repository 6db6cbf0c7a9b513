"""The account mails, composed by the sender when it sends them (core/email/composition.py).

A sign-up, a verification request and a password-reset request only queue a request; what
the mail says, and whether there is one at all, is decided here, away from the request, so
neither its answer nor its timing says whether the address has an account. A link's token is
minted only now, and lives sealed on the mail's row until the mail is sent.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tortoise.transactions import in_transaction

from core.email import outbox
from core.email.composition import Composed, composer
from core.email.templates import humanize_seconds
from core.security.tokens import digest, new_secret
from core.settings import Settings
from orm.models import EmailOutbox, OneTimeToken, User

EMAIL_VERIFICATION = "email_verification"
PASSWORD_RESET = "password_reset"
SIGN_UP_NOTICE = "sign_up_notice"

_PATHS = {EMAIL_VERIFICATION: "verify-email", PASSWORD_RESET: "reset-password"}


def token_ref(token: OneTimeToken) -> str:
    """What a mail holding this token's link is tied to (outbox.forget_secret)."""
    return f"one_time_token:{token.id}"


@composer(EMAIL_VERIFICATION)
async def compose_email_verification(mail: EmailOutbox, settings: Settings) -> Composed | None:
    """A fresh verification link, unless the address was verified meanwhile."""
    user = await User.get_or_none(email=mail.to_address, is_active=True)
    if user is None or user.email_verified_at is not None:
        return None
    return await _with_link(user, EMAIL_VERIFICATION, settings.email_token_ttl_seconds, settings)


@composer(PASSWORD_RESET)
async def compose_password_reset(mail: EmailOutbox, settings: Settings) -> Composed | None:
    """A fresh reset link, if the address has an active account; nothing otherwise."""
    user = await User.get_or_none(email=mail.to_address, is_active=True)
    if user is None:
        return None
    return await _with_link(user, PASSWORD_RESET, settings.password_reset_ttl_seconds, settings)


@composer(SIGN_UP_NOTICE)
async def compose_sign_up_notice(mail: EmailOutbox, settings: Settings) -> Composed | None:
    """Tell the owner someone tried to sign up with their address (no link with a token)."""
    user = await User.get_or_none(email=mail.to_address, is_active=True)
    if user is None:
        return None
    dashboard = settings.dashboard_url.rstrip("/")
    return Composed(
        values={
            "full_name": user.full_name,
            "sign_in_link": f"{dashboard}/sign-in",
            "reset_link": f"{dashboard}/forgot-password",
        }
    )


async def _with_link(user: User, purpose: str, ttl: int, settings: Settings) -> Composed:
    # One live token per purpose: a new mail replaces the previous link, in its mail too.
    async with in_transaction():
        previous = await OneTimeToken.filter(
            user_id=user.id, purpose=purpose, used_at=None
        ).values_list("id", flat=True)
        await OneTimeToken.filter(id__in=list(previous)).delete()
        await outbox.forget_secrets(refs=[f"one_time_token:{token_id}" for token_id in previous])
        token = new_secret("vaot")
        row = await OneTimeToken.create(
            user=user,
            purpose=purpose,
            token_hash=digest(token),
            expires_at=datetime.now(UTC) + timedelta(seconds=ttl),
        )
    link = f"{settings.dashboard_url.rstrip('/')}/{_PATHS[purpose]}?token={token}"
    return Composed(
        values={"full_name": user.full_name, "expires_in": humanize_seconds(ttl)},
        secret=outbox.MailSecret(
            values={"link": link}, ref=token_ref(row), expires_at=row.expires_at
        ),
    )
