"""Granting platform admin (from the CLI only; there is no API for it)."""

from __future__ import annotations

from dataclasses import dataclass

from core.security.passwords import hash_password, password_problem
from core.services.accounts import email_problem, normalize_email
from orm.models import User


@dataclass(frozen=True)
class GrantOutcome:
    email: str
    created: bool


async def grant(
    *, email: str, full_name: str, password: str | None, existing_only: bool
) -> GrantOutcome:
    """Make the user with this email a platform admin, creating them if allowed."""
    email = normalize_email(email)
    if message := email_problem(email):
        raise ValueError(message)
    user = await User.get_or_none(email=email)
    if user is not None:
        if not user.is_platform_admin:
            user.is_platform_admin = True
            await user.save(update_fields=["is_platform_admin", "updated_at"])
        return GrantOutcome(email=email, created=False)
    if existing_only or password is None:
        raise LookupError(f"no user with email {email}")
    if message := password_problem(password, email=email):
        raise ValueError(message)
    await User.create(
        email=email,
        full_name=full_name,
        password_hash=await hash_password(password),
        is_platform_admin=True,
    )
    return GrantOutcome(email=email, created=True)
