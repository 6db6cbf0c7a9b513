from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.scalars import JSON

from core.rbac import Permission
from core.services import calls
from core.services.calls import CallStatus as CoreCallStatus
from graphql_api.agents.types import AgentType
from graphql_api.calls.enums import CallStatus
from graphql_api.context import Info
from graphql_api.lookahead import MISSING, cached, selects
from graphql_api.node import Node, NodeKind
from graphql_api.pagination import CountedConnection, PageSize, first_argument
from graphql_api.permissions import SourceOrganization, requires
from orm.models import Call

if TYPE_CHECKING:
    from graphql_api.calls.analysis import CallAnalysisType
    from graphql_api.calls.events import CallEventNode

__all__ = ["CallConnection", "CallDirection", "CallStatus", "CallType"]


@strawberry.enum(description="Who placed the call.")
class CallDirection(enum.Enum):
    INBOUND = strawberry.enum_value("inbound", description="A caller phoned the agent.")
    OUTBOUND = strawberry.enum_value("outbound", description="The agent phoned out (`callCreate`).")


# A whole call's timeline in one page, as a dashboard shows it.
TIMELINE_PAGE_SIZE = PageSize(default=500, maximum=500)


@strawberry.type(name="Call", description="A phone call handled by an agent, and its record.")
class CallType(Node):
    node_kind = NodeKind("call", Permission.CALL_READ)

    direction: CallDirection = strawberry.field(description="Who placed the call.")
    from_number: str = strawberry.field(description="The caller's number (E.164).")
    to_number: str = strawberry.field(description="The number called (E.164).")
    status: CallStatus = strawberry.field(
        description="Where the call stands; `CallStatusChanged` events record each change."
    )
    ended_reason: str | None = strawberry.field(
        description="Why it ended (`caller_hung_up`, `agent_ended`, `max_duration`, "
        "`twilio_busy`, `voicemail` or `voicemail_left` (an outgoing call reached an "
        "answering machine), ...); null while it goes on."
    )
    answered_at: datetime | None = strawberry.field(
        description="When it was answered; null if never."
    )
    ended_at: datetime | None = strawberry.field(
        description="When it ended; null while it goes on."
    )
    duration_seconds: int | None = strawberry.field(
        description="Seconds from answer to end (Twilio's own count once it arrives; a "
        "`CallUpdated` event records the change); null while it goes on."
    )
    created_at: datetime = strawberry.field(description="When the call reached the platform.")
    model: strawberry.Private[Call]

    @property
    def organization_id(self) -> uuid.UUID | None:
        return self.model.organization_id

    # The same permission as `agent(id)`: a role that may read calls but not agents
    # (billing) must not reach the agent through its calls.
    @strawberry.field(
        description="The agent (null if it was deleted since).",
        extensions=requires(Permission.AGENT_READ, SourceOrganization()),
    )
    def agent(self, info: Info) -> AgentType | None:
        # Plain when the page loaded the agents (graphql_api/lookahead.py), else awaited.
        if self.model.agent_id is None:
            return None
        agent = cached(info.context.loaders.agent, self.model.agent_id)
        if agent is MISSING:
            return self._load_agent(info, self.model.agent_id)  # type: ignore[return-value]
        return AgentType.from_model(agent) if agent else None

    async def _load_agent(self, info: Info, agent_id: uuid.UUID) -> AgentType | None:
        agent = await info.context.loaders.agent.load(agent_id)
        return AgentType.from_model(agent) if agent else None

    # Agent configuration (prompt, greeting, transfer target, tools): the permission of `agent`.
    @strawberry.field(
        description="What the agent was when the call began (prompt, tools).",
        extensions=requires(Permission.AGENT_READ, SourceOrganization()),
    )
    async def agent_snapshot(self) -> JSON | None:
        return JSON(self.model.snapshot)

    @strawberry.field(
        description="What the model made of the call after it ended (summary, success "
        "evaluation, structured data), as the agent's analysis plan asked; null when none is "
        "owed (not answered, the plan is off) or the call goes on."
    )
    async def analysis(
        self, info: Info
    ) -> Annotated[CallAnalysisType, strawberry.lazy("graphql_api.calls.analysis")] | None:
        from graphql_api.calls.analysis import CallAnalysisType

        row = await info.context.loaders.analysis_by_call.load(self.model.id)
        return CallAnalysisType.from_row(row) if row is not None else None

    @strawberry.field(description="The call's events in order, from `afterSeq` on.")
    async def timeline(
        self,
        after_seq: Annotated[
            int, strawberry.argument(description="Only events after this `seq` (0: all).")
        ] = 0,
        first: Annotated[int, first_argument(TIMELINE_PAGE_SIZE)] = TIMELINE_PAGE_SIZE.default,
    ) -> list[Annotated[CallEventNode, strawberry.lazy("graphql_api.calls.events")]]:
        from graphql_api.calls.events import from_row

        rows = await calls.events_after(
            call_id=self.model.id, after_seq=after_seq, limit=TIMELINE_PAGE_SIZE.check(first)
        )
        return [from_row(row, self.model) for row in rows]

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


async def preload_call_fields(
    info: Info, organization_id: uuid.UUID, rows: list[Call], *path: str
) -> None:
    """Loads, for a list of calls, their agents when the selection asks for them (at `path`
    below the list's field), in the one batched read the agent loader would send, so each
    call's `agent` answers at once (graphql_api/lookahead.py); only where the caller may read
    agents (the field checks that itself either way)."""
    if not rows or not selects(info, *path, "agent"):
        return
    loaders = info.context.loaders
    access = cached(loaders.access, organization_id)
    if access is MISSING or access is None or not access.allows(Permission.AGENT_READ):
        return
    await loaders.agent.load_many({row.agent_id for row in rows if row.agent_id is not None})


@strawberry.type(name="CallConnection", description="A page of calls, newest first.")
class CallConnection(CountedConnection[CallType]):
    pass
