"""Whether a credential still stands, and telling every API replica when one falls.

A request proves its credential each time; a WebSocket proves it once, at
connection_init, and then lives on. So the sockets ask `standing` before every
operation, and every place that ends a credential (or shrinks a person's access to
an organization) announces it on the bus, so that each replica closes the sockets
holding it at once (graphql_api/websocket.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from core.access import Principal
from core.events import EventBus, Revocation, RevocationKind
from orm.models import ApiKey, AuthSession


async def standing(*, principals: Sequence[Principal], now: datetime | None = None) -> list[bool]:
    """For each principal, whether its credential still stands (two queries for any number)."""
    now = now or datetime.now(UTC)
    session_ids = {p.session_id for p in principals if p.api_key is None and p.session_id}
    key_ids = {p.api_key.id for p in principals if p.api_key is not None}
    live_sessions = (
        set(
            await AuthSession.filter(
                id__in=session_ids, revoked_at=None, user__is_active=True
            ).values_list("id", flat=True)
        )
        if session_ids
        else set()
    )
    live_keys = (
        set(
            await ApiKey.filter(
                id__in=key_ids, revoked_at=None, organization__is_active=True
            ).values_list("id", flat=True)
        )
        if key_ids
        else set()
    )

    def stands(principal: Principal) -> bool:
        if principal.expires_at is not None and principal.expires_at <= now:
            return False
        if principal.api_key is not None:
            return principal.api_key.id in live_keys
        return principal.session_id is not None and principal.session_id in live_sessions

    return [stands(principal) for principal in principals]


async def is_alive(*, principal: Principal, now: datetime | None = None) -> bool:
    """Whether the principal's credential still stands: not revoked, its user active, and
    the access token it came with unexpired."""
    return (await standing(principals=[principal], now=now))[0]


async def announce(
    *,
    bus: EventBus | None,
    kind: RevocationKind,
    subject_id: uuid.UUID,
    reason: str,
    organization_id: uuid.UUID | None = None,
) -> None:
    """Tell every API replica that a credential ended (or a membership changed); call it
    once the change is committed, so whoever checks again on the notice sees it."""
    if bus is None:
        return
    await bus.publish_revocation(
        Revocation(kind=kind, subject_id=subject_id, organization_id=organization_id, reason=reason)
    )
