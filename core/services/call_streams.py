"""Live call streams: what a subscriber is sent, in what order, and while they may see it.

Both streams register on the bus before they read the record, so nothing published in
between is lost; after a bus outage (or on a timer, for the in-process bus, which cannot
see the worker's process) they read what they missed from call_events. They check the
subscriber's access again at once when told that the subscriber's role in the
organization changed (`recheck_now`, called by the transport), and on a slow timer as a
safety net. A stream whose subscriber lost access raises NotFound, exactly as if the call
or the organization did not exist; one whose role changed but still may read calls goes on,
and `access` is then what it was last checked under (what its events may show is decided
with it, graphql_api/fanout).

Use: `async with CallEventStream(...) as stream: async for event in stream.events(): ...`
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
import uuid
from collections.abc import AsyncGenerator
from datetime import datetime, timedelta
from typing import Self

from core.access import OrgAccess, Principal
from core.call_events import DASHBOARD_TYPES, CallEventType, decode
from core.errors import NotFound
from core.events import Event, EventBus, Subscription, call_channel, organization_channel
from core.rbac import Permission
from core.services import access_rechecks, calls
from orm.models import Call, CallEvent

# How many stored events one read of the record returns at most.
RECORD_PAGE = 500
# How far behind the newest event it has read a dashboard's next read of the record starts:
# an event another process wrote a little earlier than one already seen is still found.
RECORD_OVERLAP = timedelta(seconds=30)
# How many delivered event ids a dashboard's stream remembers to send each event once.
_SEEN_MAX = 5000


class _Stream:
    """One subscriber's stream on one bus channel, within one organization."""

    not_found = "Resource"

    def __init__(
        self,
        *,
        bus: EventBus,
        principal: Principal,
        access: OrgAccess,
        channel: str,
        recheck_seconds: float,
    ) -> None:
        self.bus = bus
        self.principal = principal
        # The subscriber's access to the organization as last checked (at subscribe, then at
        # each re-check).
        self.access = access
        self.organization_id = access.organization_id
        self._channel = channel
        self._recheck_seconds = recheck_seconds
        # The first timed re-check comes at a random point of the first interval: streams
        # opened together (a reconnect storm, a deploy) would otherwise all re-check at once,
        # a burst of queries in the way of the events they deliver.
        self._checked_at = time.monotonic() - random.uniform(0, recheck_seconds)  # noqa: S311 (jitter)
        self._recheck_due = False
        self._exits = contextlib.AsyncExitStack()
        self._subscription: Subscription | None = None
        # What wakes a stream waiting for the bus when its record read or re-check is due.
        self._alarm: asyncio.TimerHandle | None = None
        self._alarm_at = 0.0

    async def __aenter__(self) -> Self:
        self._subscription = await self._exits.enter_async_context(
            self.bus.subscription(self._channel)
        )
        self._exits.callback(self._disarm)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self._exits.aclose()

    def recheck_now(self) -> None:
        """Check the subscriber's access before anything else is sent."""
        self._recheck_due = True
        if self._subscription is not None:
            self._subscription.push(None)  # wakes the stream; it reads the record, then checks

    async def _next_live(self) -> Event | None:
        """The next event from the bus, or None when it is time to read the record; raises
        NotFound once the subscriber may no longer read the organization's calls.

        The timed re-check runs when it is due, event or not: left for the next event, the
        checks of every stream that waited through a quiet spell would all run on it."""
        assert self._subscription is not None, "enter the stream first"
        poll_at = time.monotonic() + self.bus.poll_seconds
        while True:
            self._wake_by(min(poll_at, self._checked_at + self._recheck_seconds))
            item = await self._subscription.get()
            if not await self._still_allowed():
                raise NotFound(self.not_found)
            if isinstance(item, Event):
                return item
            if item is None or time.monotonic() >= poll_at:
                return None  # the bus may have missed some, or it is time to read the record

    def _wake_by(self, at: float) -> None:
        """Have the subscription woken by `at` (monotonic time). An alarm armed for earlier
        stays: when it goes off, the stream arms the next one. So a stream busy with events
        arms about one alarm per interval, not one per event."""
        if self._alarm is not None and self._alarm_at <= at:
            return
        self._disarm()
        assert self._subscription is not None
        self._alarm_at = at
        self._alarm = asyncio.get_running_loop().call_later(
            max(0.0, at - time.monotonic()), self._ring, self._subscription
        )

    def _ring(self, subscription: Subscription) -> None:
        self._alarm = None
        subscription.wake()

    def _disarm(self) -> None:
        if self._alarm is not None:
            self._alarm.cancel()
            self._alarm = None

    async def _still_allowed(self) -> bool:
        asked = self._recheck_due  # by a notice: at once; by the timer: with other streams'
        if not asked and time.monotonic() - self._checked_at < self._recheck_seconds:
            return True
        self._recheck_due = False
        self._checked_at = time.monotonic()
        check = access_rechecks.access_now if asked else access_rechecks.access_soon
        granted = await check(principal=self.principal, organization_id=self.organization_id)
        if granted is None or not granted.allows(Permission.CALL_READ):
            return False
        self.access = granted
        return True


class CallEventStream(_Stream):
    """A call's events in order: the record after `after_seq`, then live; it ends after
    the call's ENDED event."""

    not_found = "Call"

    def __init__(
        self,
        *,
        bus: EventBus,
        principal: Principal,
        access: OrgAccess,
        call: Call,
        after_seq: int,
        recheck_seconds: float,
    ) -> None:
        # A refused call belongs to no organization, so nobody passes the permission check
        # that comes before a stream of it.
        if call.organization_id is None or call.organization_id != access.organization_id:
            raise NotFound(self.not_found)
        super().__init__(
            bus=bus,
            principal=principal,
            access=access,
            channel=call_channel(call.id),
            recheck_seconds=recheck_seconds,
        )
        self.call = call
        self.after_seq = max(0, after_seq)

    async def events(self) -> AsyncGenerator[Event, None]:
        last = self.after_seq
        while True:
            # The record first (catch-up), then whatever the bus brings.
            for event in await self._recorded_after(last):
                last = event.seq
                yield event
                if event.type is CallEventType.ENDED:
                    return
            while True:
                live = await self._next_live()
                if live is None:
                    break  # read the record again
                if live.seq <= last:
                    continue
                if live.seq > last + 1:
                    break  # a gap: the record has what is in between
                last = live.seq
                yield live
                if live.type is CallEventType.ENDED:
                    return

    async def _recorded_after(self, seq: int) -> list[Event]:
        rows = await calls.events_after(call_id=self.call.id, after_seq=seq, limit=RECORD_PAGE)
        return [
            _recorded(row, organization_id=self.organization_id, agent_id=self.call.agent_id)
            for row in rows
        ]


class OrganizationCallStream(_Stream):
    """The events of an organization's calls that a dashboard shows (DASHBOARD_TYPES), each
    once, from the moment of subscribing."""

    not_found = "Organization"

    def __init__(
        self,
        *,
        bus: EventBus,
        principal: Principal,
        access: OrgAccess,
        recheck_seconds: float,
    ) -> None:
        super().__init__(
            bus=bus,
            principal=principal,
            access=access,
            channel=organization_channel(access.organization_id),
            recheck_seconds=recheck_seconds,
        )
        self._seen: dict[uuid.UUID, None] = {}
        # Where the next read of the record starts. Only reads of the record move it, and it
        # stays RECORD_OVERLAP behind what they saw; `_seen` keeps each event to one delivery.
        self._since = datetime.now().astimezone()

    async def events(self) -> AsyncGenerator[Event, None]:
        while True:
            live = await self._next_live()
            if live is not None:
                if live.type in DASHBOARD_TYPES and self._first_time(live.id):
                    yield live
                continue
            # Outage over, or a quiet spell: what the record has that was not sent.
            for event in await self._recorded_since():
                if self._first_time(event.id):
                    yield event

    async def _recorded_since(self) -> list[Event]:
        rows = (
            await CallEvent.filter(
                organization_id=self.organization_id,
                type__in=[event_type.value for event_type in DASHBOARD_TYPES],
                occurred_at__gte=self._since,
            )
            .order_by("occurred_at", "seq")
            .select_related("call")
            .limit(RECORD_PAGE)
        )
        if len(rows) == RECORD_PAGE:
            self._since = rows[-1].occurred_at  # a full page: move on past it
        elif rows:
            self._since = max(self._since, rows[-1].occurred_at - RECORD_OVERLAP)
        return [
            _recorded(row, organization_id=self.organization_id, agent_id=row.call.agent_id)
            for row in rows
        ]

    def _first_time(self, event_id: uuid.UUID) -> bool:
        if event_id in self._seen:
            return False
        self._seen[event_id] = None
        if len(self._seen) > _SEEN_MAX:
            for old in list(self._seen)[: _SEEN_MAX // 2]:
                del self._seen[old]
        return True


def _recorded(row: CallEvent, *, organization_id: uuid.UUID, agent_id: uuid.UUID | None) -> Event:
    """A stored event as the envelope it was published in."""
    return Event(
        id=row.id,
        organization_id=organization_id,
        call_id=row.call_id,
        agent_id=agent_id,
        seq=row.seq,
        occurred_at=row.occurred_at,
        payload=decode(row.type, row.data),
    )
