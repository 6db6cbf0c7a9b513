"""Sessions: access tokens, rotating refresh tokens, revocation.

A session is one signed-in device. Each refresh returns a new refresh token and
marks the old one rotated; presenting a rotated token again means it was stolen
or replayed, so the whole session (the token family) is revoked.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from core.access import Principal
from core.errors import ServiceError
from core.security.tokens import AccessTokenCodec, InvalidToken, digest, new_secret
from core.settings import Settings
from orm.models import AuthSession, RefreshToken, User

REFRESH_TOKEN_PREFIX = "vart"


class SessionErrorCode(enum.Enum):
    INVALID_REFRESH_TOKEN = "invalid_refresh_token"


@dataclass(frozen=True)
class IssuedTokens:
    user: User
    session_id: uuid.UUID
    access_token: str
    access_token_expires_at: datetime
    refresh_token: str
    refresh_token_expires_at: datetime


async def start(
    *,
    user: User,
    codec: AccessTokenCodec,
    settings: Settings,
    client_address: str | None = None,
    user_agent: str | None = None,
) -> IssuedTokens:
    """Open a new session for a user who just proved who they are."""
    session = await AuthSession.create(
        user=user,
        client_address=(client_address or "")[:64] or None,
        user_agent=(user_agent or "")[:300] or None,
    )
    return await _issue(user=user, session=session, codec=codec, settings=settings)


async def rotate(
    *, refresh_token: str, codec: AccessTokenCodec, settings: Settings
) -> IssuedTokens:
    """Exchange a refresh token for a new pair; reuse of a rotated token revokes its session."""
    invalid = ServiceError.single(
        SessionErrorCode.INVALID_REFRESH_TOKEN,
        "The refresh token is invalid or expired. Sign in again.",
        "refreshToken",
    )
    row = await RefreshToken.get_or_none(token_hash=digest(refresh_token)).select_related(
        "session__user"
    )
    if row is None:
        raise invalid
    session: AuthSession = row.session
    user: User = session.user
    now = datetime.now(UTC)
    if session.revoked_at is not None or not user.is_active:
        raise invalid
    if row.rotated_at is not None:
        await revoke(session_id=session.id, reason="refresh_token_reused")
        raise invalid
    if row.expires_at <= now:
        raise invalid
    # Only one of two concurrent exchanges of the same token may win; the loser is reuse.
    won = await RefreshToken.filter(id=row.id, rotated_at=None).update(rotated_at=now)
    if not won:
        await revoke(session_id=session.id, reason="refresh_token_reused")
        raise invalid
    return await _issue(user=user, session=session, codec=codec, settings=settings)


async def revoke(*, session_id: uuid.UUID, reason: str) -> None:
    """End a session: its refresh tokens and access tokens stop working at once."""
    await AuthSession.filter(id=session_id, revoked_at=None).update(
        revoked_at=datetime.now(UTC), revoked_reason=reason
    )


async def revoke_by_refresh_token(*, refresh_token: str, user_id: uuid.UUID) -> bool:
    """Sign out the session a refresh token belongs to, if it is the user's."""
    row = await RefreshToken.get_or_none(
        token_hash=digest(refresh_token), session__user_id=user_id
    ).only("id", "session_id")
    if row is None:
        return False
    await revoke(session_id=row.session_id, reason="signed_out")  # type: ignore[attr-defined]
    return True


async def revoke_all(*, user_id: uuid.UUID, reason: str) -> None:
    await AuthSession.filter(user_id=user_id, revoked_at=None).update(
        revoked_at=datetime.now(UTC), revoked_reason=reason
    )


async def authenticate(*, access_token: str, codec: AccessTokenCodec) -> Principal | None:
    """The principal behind an access token, or None (bad, expired or revoked token)."""
    try:
        claims = codec.verify(access_token)
    except InvalidToken:
        return None
    session = await AuthSession.get_or_none(
        id=claims.session_id,
        user_id=claims.user_id,
        revoked_at=None,
        user__is_active=True,
    ).select_related("user")
    if session is None:
        return None
    return Principal(user=session.user, session_id=session.id)


async def _issue(
    *, user: User, session: AuthSession, codec: AccessTokenCodec, settings: Settings
) -> IssuedTokens:
    refresh_token = new_secret(REFRESH_TOKEN_PREFIX)
    refresh_expires_at = datetime.now(UTC) + timedelta(seconds=settings.refresh_token_ttl_seconds)
    await RefreshToken.create(
        session=session, token_hash=digest(refresh_token), expires_at=refresh_expires_at
    )
    access_token, access_expires_at = codec.issue(user_id=user.id, session_id=session.id)
    return IssuedTokens(
        user=user,
        session_id=session.id,
        access_token=access_token,
        access_token_expires_at=access_expires_at,
        refresh_token=refresh_token,
        refresh_token_expires_at=refresh_expires_at,
    )
