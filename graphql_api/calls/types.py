from __future__ import annotations

import enum
from datetime import datetime

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from core.rbac import Permission
from core.services import calls
from core.services.calls import CallStatus as CoreCallStatus
from graphql_api import ids
from graphql_api.agents.types import AgentType
from graphql_api.context import Info
from graphql_api.permissions import SourceOrganization, requires
from orm.models import Call, CallEvent

CallStatus = strawberry.enum(CoreCallStatus, name="CallStatus")


@strawberry.enum
class CallDirection(enum.Enum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


@strawberry.type(name="CallEvent", description="One entry of a call's timeline.")
class CallEventType:
    id: strawberry.ID
    call_id: strawberry.ID
    seq: int = strawberry.field(description="Position in the call's timeline, from 1, no gaps.")
    type: str = strawberry.field(
        description="call.status_changed, call.transcript, call.tool_invoked, call.transfer, "
        "call.ended"
    )
    occurred_at: datetime
    data: JSON

    @classmethod
    def from_model(cls, row: CallEvent) -> CallEventType:
        return cls(
            id=strawberry.ID(str(row.id)),
            call_id=strawberry.ID(ids.encode("Call", row.call_id)),  # type: ignore[attr-defined]
            seq=row.seq,
            type=row.type,
            occurred_at=row.occurred_at,
            data=row.data,
        )


@strawberry.type(name="Call", description="A phone call handled by an agent, and its record.")
class CallType(relay.Node):
    id: relay.NodeID[str]
    direction: CallDirection
    from_number: str
    to_number: str
    status: CallStatus  # type: ignore[valid-type]
    ended_reason: str | None
    answered_at: datetime | None
    ended_at: datetime | None
    duration_seconds: int | None
    created_at: datetime
    model: strawberry.Private[Call]

    @property
    def organization_id(self):  # type: ignore[no-untyped-def]
        return self.model.organization_id  # type: ignore[attr-defined]

    # The same permission as `agent(id)`: a role that may read calls but not agents
    # (billing) must not reach the agent through its calls.
    @strawberry.field(
        description="The agent (null if it was deleted since).",
        extensions=requires(Permission.AGENT_READ, SourceOrganization()),
    )
    async def agent(self, info: Info) -> AgentType | None:
        if self.model.agent_id is None:  # type: ignore[attr-defined]
            return None
        agent = await info.context.loaders.agent.load(self.model.agent_id)  # type: ignore[attr-defined]
        return AgentType.from_model(agent) if agent else None

    # Agent configuration (prompt, greeting, transfer target, tools): the permission of `agent`.
    @strawberry.field(
        description="What the agent was when the call began (prompt, tools); needs `agent:read`.",
        extensions=requires(Permission.AGENT_READ, SourceOrganization()),
    )
    async def agent_snapshot(self) -> JSON | None:
        return self.model.snapshot

    @strawberry.field(description="The call's events in order, from `afterSeq` on.")
    async def timeline(self, after_seq: int = 0, first: int = 500) -> list[CallEventType]:
        rows = await calls.events_after(
            call_id=self.model.id, after_seq=after_seq, limit=max(1, min(first, 500))
        )
        return [CallEventType.from_model(row) for row in rows]

    @classmethod
    def from_model(cls, call: Call) -> CallType:
        return cls(
            id=str(call.id),
            direction=CallDirection(call.direction),
            from_number=call.from_number,
            to_number=call.to_number,
            status=CoreCallStatus(call.status),
            ended_reason=call.ended_reason,
            answered_at=call.answered_at,
            ended_at=call.ended_at,
            duration_seconds=call.duration_seconds,
            created_at=call.created_at,
            model=call,
        )


@strawberry.type(name="CallConnection")
class CallConnection(relay.Connection[CallType]):
    pass
