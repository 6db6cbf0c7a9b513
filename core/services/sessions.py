"""Sessions: access tokens, rotating refresh tokens, revocation.

A session is one signed-in device. Each refresh returns a new refresh token and
marks the old one rotated; presenting a rotated token again means it was stolen
or replayed, so the whole session (the token family) is revoked. One exception:
the same token presented again within REFRESH_TOKEN_REUSE_GRACE_SECONDS, while
the new token is still unused (two tabs refreshing at once, a retried request),
gets the same new pair, kept sealed under the old token (core/security/refresh_grace.py).
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tortoise.transactions import in_transaction

from core.access import Principal
from core.errors import ServiceError
from core.events import EventBus, RevocationKind
from core.security.refresh_grace import Successor, open_successor, seal_successor
from core.security.tokens import AccessTokenCodec, InvalidToken, digest, new_secret
from core.services import credentials
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
    *, refresh_token: str, codec: AccessTokenCodec, settings: Settings, bus: EventBus | None
) -> IssuedTokens:
    """Exchange a refresh token for a new pair; reuse of a rotated token revokes its session."""
    invalid = ServiceError.single(
        SessionErrorCode.INVALID_REFRESH_TOKEN,
        "The refresh token is invalid or expired. Sign in again.",
        "refresh_token",
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
        again = await _again_within_grace(row, refresh_token, session, settings)
        if again is not None:
            return again
        await revoke(session_id=session.id, reason="refresh_token_reused", bus=bus)
        raise invalid
    if row.expires_at <= now:
        raise invalid
    successor = _new_pair(user=user, session=session, codec=codec, settings=settings)
    grace = timedelta(seconds=settings.refresh_token_reuse_grace_seconds)
    sealed = (
        seal_successor(_successor_of(successor), old_token=refresh_token, row_id=row.id)
        if grace
        else None
    )
    async with in_transaction():
        # Only one of two concurrent exchanges of the same token may win (on PostgreSQL the
        # second waits for the first's commit, then finds the token rotated).
        won = await RefreshToken.filter(id=row.id, rotated_at=None).update(
            rotated_at=now, successor_sealed=sealed
        )
        if won:
            await RefreshToken.create(
                session=session,
                token_hash=digest(successor.refresh_token),
                expires_at=successor.refresh_token_expires_at,
            )
            # Earlier exchanges of this session are past their window: forget their pairs.
            await (
                RefreshToken.filter(session_id=session.id, rotated_at__lt=now - grace)
                .exclude(successor_sealed=None)
                .update(successor_sealed=None)
            )
    if not won:
        # The other exchange won: the same pair for this one, if it is the window's case.
        again = await _again_within_grace(
            await RefreshToken.get(id=row.id), refresh_token, session, settings
        )
        if again is not None:
            return again
        await revoke(session_id=session.id, reason="refresh_token_reused", bus=bus)
        raise invalid
    return successor


async def _again_within_grace(
    row: RefreshToken, refresh_token: str, session: AuthSession, settings: Settings
) -> IssuedTokens | None:
    """The pair this token was already exchanged for, when it comes back within the grace
    window (two tabs, a retried request) and that pair is still unused; None means reuse."""
    window = timedelta(seconds=settings.refresh_token_reuse_grace_seconds)
    if row.rotated_at is None or row.successor_sealed is None:
        return None
    if datetime.now(UTC) - row.rotated_at > window:
        return None
    successor = open_successor(row.successor_sealed, old_token=refresh_token, row_id=row.id)
    if successor is None:
        return None
    unused = await RefreshToken.exists(
        session_id=session.id, token_hash=digest(successor.refresh_token), rotated_at=None
    )
    if not unused:
        return None
    return IssuedTokens(
        user=session.user,
        session_id=session.id,
        access_token=successor.access_token,
        access_token_expires_at=successor.access_token_expires_at,
        refresh_token=successor.refresh_token,
        refresh_token_expires_at=successor.refresh_token_expires_at,
    )


async def revoke(*, session_id: uuid.UUID, reason: str, bus: EventBus | None) -> None:
    """End a session: its refresh tokens, access tokens and sockets stop working at once."""
    await AuthSession.filter(id=session_id, revoked_at=None).update(
        revoked_at=datetime.now(UTC), revoked_reason=reason
    )
    await credentials.announce(
        bus=bus, kind=RevocationKind.SESSION, subject_id=session_id, reason=reason
    )


async def revoke_by_refresh_token(
    *, refresh_token: str, user_id: uuid.UUID, bus: EventBus | None
) -> bool:
    """Sign out the session a refresh token belongs to, if it is the user's."""
    row = await RefreshToken.get_or_none(
        token_hash=digest(refresh_token), session__user_id=user_id
    ).only("id", "session_id")
    if row is None:
        return False
    await revoke(session_id=row.session_id, reason="signed_out", bus=bus)
    return True


async def revoke_all(*, user_id: uuid.UUID, reason: str, bus: EventBus | None) -> None:
    """End every session of a user (inside a transaction, pass no bus and announce after)."""
    await AuthSession.filter(user_id=user_id, revoked_at=None).update(
        revoked_at=datetime.now(UTC), revoked_reason=reason
    )
    await credentials.announce(bus=bus, kind=RevocationKind.USER, subject_id=user_id, reason=reason)


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
    return Principal(user=session.user, session_id=session.id, expires_at=claims.expires_at)


async def _issue(
    *, user: User, session: AuthSession, codec: AccessTokenCodec, settings: Settings
) -> IssuedTokens:
    issued = _new_pair(user=user, session=session, codec=codec, settings=settings)
    await RefreshToken.create(
        session=session,
        token_hash=digest(issued.refresh_token),
        expires_at=issued.refresh_token_expires_at,
    )
    return issued


def _new_pair(
    *, user: User, session: AuthSession, codec: AccessTokenCodec, settings: Settings
) -> IssuedTokens:
    """A new access token and refresh token (the latter not stored yet)."""
    refresh_token = new_secret(REFRESH_TOKEN_PREFIX)
    refresh_expires_at = datetime.now(UTC) + timedelta(seconds=settings.refresh_token_ttl_seconds)
    access_token, access_expires_at = codec.issue(user_id=user.id, session_id=session.id)
    return IssuedTokens(
        user=user,
        session_id=session.id,
        access_token=access_token,
        access_token_expires_at=access_expires_at,
        refresh_token=refresh_token,
        refresh_token_expires_at=refresh_expires_at,
    )


def _successor_of(issued: IssuedTokens) -> Successor:
    return Successor(
        refresh_token=issued.refresh_token,
        refresh_token_expires_at=issued.refresh_token_expires_at,
        access_token=issued.access_token,
        access_token_expires_at=issued.access_token_expires_at,
    )
