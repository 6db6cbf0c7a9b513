"""Live call streams over graphql-transport-ws.

Both subscriptions register on the bus before reading the record, so nothing
published in between is lost; after a bus outage (or on a timer, for the
in-process bus, which cannot see the worker's process) they read what they
missed from call_events. They check the subscriber's access again at once when the
bus says the subscriber's role in the organization changed (graphql_api/websocket.py),
and on a slow timer as a safety net; a revoked credential closes the whole socket.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncGenerator
from datetime import datetime, timedelta

import strawberry
from strawberry.scalars import JSON

from core import events
from core.access import Principal, load_access
from core.events import TIMED_OUT, Event, Subscription, call_channel, organization_channel
from core.rbac import Permission
from core.services import calls, credentials
from graphql_api import ids
from graphql_api.calls.types import CallType
from graphql_api.context import Info
from graphql_api.errors import NotFoundError
from graphql_api.permissions import ObjectArgument, OrganizationArgument, requires
from orm.models import Call, CallEvent

_STATUS_TYPES = (events.CALL_STATUS_CHANGED, events.CALL_ENDED)
_RECORD_PAGE = 500
_RECORD_OVERLAP = timedelta(seconds=30)


@strawberry.type(description="One event of a call, as it happens.")
class LiveCallEvent:
    id: strawberry.ID
    type: str
    seq: int
    occurred_at: datetime
    data: JSON
    call_id: strawberry.ID
    agent_id: strawberry.ID | None
    model: strawberry.Private[Call | None] = None

    @strawberry.field(description="The call as it is now (status, timestamps).")
    async def call(self) -> CallType | None:
        call = self.model or await Call.get_or_none(id=ids.decode(self.call_id, "Call"))
        return CallType.from_model(call) if call else None

    @classmethod
    def from_event(cls, event: Event) -> LiveCallEvent:
        return cls(
            id=strawberry.ID(str(event.id)),
            type=event.type,
            seq=event.seq,
            occurred_at=event.occurred_at,
            data=event.data,
            call_id=strawberry.ID(ids.encode("Call", event.call_id)),
            agent_id=strawberry.ID(ids.encode("Agent", event.agent_id)) if event.agent_id else None,
        )

    @classmethod
    def from_row(cls, row: CallEvent, agent_id: uuid.UUID | None) -> LiveCallEvent:
        return cls.from_event(
            Event(
                id=row.id,
                type=row.type,
                organization_id=row.organization_id,  # type: ignore[attr-defined]
                call_id=row.call_id,
                seq=row.seq,
                occurred_at=row.occurred_at,  # type: ignore[attr-defined]
                data=row.data,
                agent_id=agent_id,
            )
        )


class _AccessWatch:
    """Whether the subscriber may still read the organization: checked again at once when
    the socket hears that their role there changed, else every
    SUBSCRIPTION_ACCESS_RECHECK_SECONDS."""

    def __init__(self, info: Info, organization_id: uuid.UUID, subscription: Subscription) -> None:
        self.principal: Principal = info.context.principal
        self.organization_id = organization_id
        self.subscription = subscription
        self.socket = info.context.socket
        self.interval = info.context.settings.subscription_access_recheck_seconds
        self.checked_at = time.monotonic()
        self.due = False

    async def __aenter__(self) -> _AccessWatch:
        if self.socket is not None:
            self.socket.watches.add(self)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self.socket is not None:
            self.socket.watches.discard(self)

    def recheck_now(self) -> None:
        self.due = True
        self.subscription.push(None)  # wakes the stream; it reads the record, then checks

    async def still_allowed(self) -> bool:
        if not self.due and time.monotonic() - self.checked_at < self.interval:
            return True
        self.due = False
        self.checked_at = time.monotonic()
        if not await credentials.is_alive(principal=self.principal):
            return False
        access = await load_access(self.principal, [self.organization_id])
        granted = access.get(self.organization_id)
        return granted is not None and granted.allows(Permission.CALL_READ)


@strawberry.type
class CallSubscriptions:
    @strawberry.subscription(
        description="A call's events in order: the record from `afterSeq` (default: the whole "
        "timeline), then live. Completes after `call.ended`.",
        extensions=requires(Permission.CALL_READ, ObjectArgument("call_id", "Call", "call")),
    )
    async def call_events(
        self, info: Info, call_id: strawberry.ID, after_seq: int = 0
    ) -> AsyncGenerator[LiveCallEvent, None]:
        call: Call = info.context.checked_for(info).target
        bus = info.context.bus
        organization_id = call.organization_id  # type: ignore[attr-defined]
        last = max(0, after_seq)
        async with (
            bus.subscription(call_channel(call.id)) as subscription,
            _AccessWatch(info, organization_id, subscription) as watch,
        ):
            while True:
                # The record first (catch-up), then whatever the bus brings.
                for row in await calls.events_after(call_id=call.id, after_seq=last):
                    last = row.seq
                    yield LiveCallEvent.from_row(row, call.agent_id)  # type: ignore[attr-defined]
                    if row.type == events.CALL_ENDED:
                        return
                while True:
                    item = await subscription.get(timeout=bus.poll_seconds)
                    if not await watch.still_allowed():
                        raise NotFoundError("Call")
                    if item is None or item is TIMED_OUT:
                        break  # read the record again
                    assert isinstance(item, Event)
                    if item.seq <= last:
                        continue
                    if item.seq > last + 1:
                        break  # a gap: the record has what is in between
                    last = item.seq
                    yield LiveCallEvent.from_event(item)
                    if item.type == events.CALL_ENDED:
                        return

    @strawberry.subscription(
        description="Every status change of the organization's calls, for a live dashboard.",
        extensions=requires(Permission.CALL_READ, OrganizationArgument()),
    )
    async def organization_call_updates(
        self, info: Info, organization_id: strawberry.ID
    ) -> AsyncGenerator[LiveCallEvent, None]:
        org_id = info.context.checked_for(info).access.organization_id
        bus = info.context.bus
        seen: dict[uuid.UUID, None] = {}
        # Where the next read of the record starts. Only reads of the record move it, and it
        # stays _RECORD_OVERLAP behind what they saw: an event another process wrote a little
        # earlier than one that came live (or than one already read) is still found; `seen`
        # keeps each event to one delivery.
        since = datetime.now().astimezone()
        async with (
            bus.subscription(organization_channel(org_id)) as subscription,
            _AccessWatch(info, org_id, subscription) as watch,
        ):
            while True:
                item = await subscription.get(timeout=bus.poll_seconds)
                if not await watch.still_allowed():
                    raise NotFoundError("Organization")
                if isinstance(item, Event):
                    if item.type in _STATUS_TYPES and item.id not in seen:
                        _remember(seen, item.id)
                        yield LiveCallEvent.from_event(item)
                    continue
                # Outage over, or a quiet spell: status changes from the record we have not sent.
                rows = (
                    await CallEvent.filter(
                        organization_id=org_id, type__in=_STATUS_TYPES, occurred_at__gte=since
                    )
                    .order_by("occurred_at", "seq")
                    .select_related("call")
                    .limit(_RECORD_PAGE)
                )
                for row in rows:
                    if row.id in seen:
                        continue
                    _remember(seen, row.id)
                    yield LiveCallEvent.from_row(row, row.call.agent_id)  # type: ignore[attr-defined]
                if len(rows) == _RECORD_PAGE:
                    since = rows[-1].occurred_at  # a full page: move on past it
                elif rows:
                    since = max(since, rows[-1].occurred_at - _RECORD_OVERLAP)


def _remember(seen: dict[uuid.UUID, None], event_id: uuid.UUID) -> None:
    seen[event_id] = None
    if len(seen) > 5000:
        for key in list(seen)[:2500]:
            del seen[key]
