"""What the fan-out tests share: documents that select differently, subscriptions that know
which events they are sent, and waiting until every socket has its share of a write."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import Any

from core.call_events import DASHBOARD_TYPES, CallEventType
from core.services import calls
from orm.models import Call
from tests.support.ids import global_id
from tests.support.operations import CALL_EVENTS, ORGANIZATION_CALL_UPDATES
from tests.support.waiting import eventually
from tests.support.websocket import GraphQLSocket

# The dashboard's document with aliases, and the agent behind each call: a role without
# `agent:read` (billing) gets the call with `agent: null` and a FORBIDDEN error.
WALL = """
subscription Wall($org: ID!) {
  updates: organizationCallUpdates(organizationId: $org) {
    kind: type
    seq
    ... on CallStatusChanged { now: status was: previousStatus }
    ... on CallEnded { status durationSeconds }
    call { id state: status agent { name } }
  }
}
"""

# Reaches what depends on who is asking, not only on their role: the viewer's role, and
# each member's memberships, which only that member may read.
PERSONAL = """
subscription Personal($org: ID!) {
  organizationCallUpdates(organizationId: $org) {
    seq
    call {
      agent {
        organization {
          viewerRole { key }
          members { user { email memberships { role { key } } } }
        }
      }
    }
  }
}
"""


@dataclass(frozen=True)
class Watch:
    """One subscription, and how many frames a write's events bring it."""

    query: str
    variables: dict[str, Any]
    organization: uuid.UUID | None = None  # an organization's stream
    call: uuid.UUID | None = None  # a call's stream
    after_seq: int = 0

    @classmethod
    def dashboard(cls, organization: uuid.UUID, query: str = ORGANIZATION_CALL_UPDATES) -> Watch:
        name = "organizationId" if query == ORGANIZATION_CALL_UPDATES else "org"
        return cls(query, {name: global_id("Organization", organization)}, organization)

    @classmethod
    def timeline(cls, call: uuid.UUID, after_seq: int | None = None) -> Watch:
        variables: dict[str, Any] = {"callId": global_id("Call", call)}
        if after_seq is not None:
            variables["afterSeq"] = after_seq
        return cls(CALL_EVENTS, variables, call=call, after_seq=after_seq or 0)

    def frames_for(self, events: list[tuple[uuid.UUID, uuid.UUID, int, str]]) -> int:
        """Frames these events (organization, call, seq, type) bring: a call's stream gets
        each after `after_seq` and then `complete` after the end; an organization's stream
        gets what a dashboard shows."""
        if self.call is not None:
            mine = [
                kind for _, call, seq, kind in events if call == self.call and seq > self.after_seq
            ]
            return len(mine) + (CallEventType.ENDED.value in mine)
        return sum(
            1
            for organization, _, _, kind in events
            if organization == self.organization and CallEventType(kind) in DASHBOARD_TYPES
        )


@dataclass
class Audience:
    """Sockets, each with the subscriptions it opened, and the frames owed to each."""

    watches: dict[GraphQLSocket, dict[str, Watch]] = field(default_factory=dict)
    owed: dict[GraphQLSocket, Counter[str]] = field(default_factory=dict)

    async def subscribe(self, socket: GraphQLSocket, watches: dict[str, Watch]) -> None:
        self.watches[socket] = watches
        self.owed[socket] = Counter()
        for operation_id, watch in watches.items():
            await socket.subscribe(operation_id, watch.query, watch.variables)

    async def after(self, write: Awaitable[object], *touched: Call) -> None:
        """One write, then its deliveries, before the next write: a selection reads the call
        as it is now, so a later write landing first would change what an earlier event
        shows."""
        before = {call.id: await _last_seq(call) for call in touched}
        await write
        events = [
            (call.organization_id, call.id, row.seq, row.type)
            for call in touched
            for row in await calls.events_after(call_id=call.id, after_seq=before[call.id])
        ]
        for socket, watches in self.watches.items():
            for operation_id, watch in watches.items():
                self.owed[socket][operation_id] += watch.frames_for(events)
        await self.delivered()

    async def delivered(self) -> None:
        def missing() -> list[tuple[str, int, int]]:
            return [
                (operation_id, len(socket.frames[operation_id]), count)
                for socket, counts in self.owed.items()
                for operation_id, count in counts.items()
                if len(socket.frames[operation_id]) < count
            ]

        try:
            await eventually(lambda: not missing(), what="every subscriber's frames")
        except AssertionError:
            raise AssertionError(
                f"frames missing (operation, received, owed): {missing()}"
            ) from None

    def exactly_delivered(self) -> None:
        """Nothing more came than the writes owed (checked once the last write arrived)."""
        for socket, counts in self.owed.items():
            for operation_id in self.watches[socket]:
                assert len(socket.frames[operation_id]) == counts[operation_id], operation_id


async def _last_seq(call: Call) -> int:
    # Not Call.get: tests count the reads of a call that deliveries make with it.
    row = await Call.filter(id=call.id).first()
    assert row is not None
    return row.last_event_seq
