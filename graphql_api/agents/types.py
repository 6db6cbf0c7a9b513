from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types.unset import UnsetType

from core.rbac import Permission
from core.services import agents
from core.services.agents import (
    MAX_CALL_DURATION_SECONDS,
    MAX_GREETING_LENGTH,
    MAX_PROMPT_LENGTH,
    MAX_VOICEMAIL_MESSAGE_LENGTH,
    MIN_CALL_DURATION_SECONDS,
    AgentChanges,
    AgentCreate,
)
from graphql_api import ids
from graphql_api.agents.analysis_plan import AnalysisPlanInput, AnalysisPlanType, plan_values
from graphql_api.agents.enums import VoicemailAction
from graphql_api.calls.enums import TransferMode
from graphql_api.context import Info
from graphql_api.errors import NotFoundError
from graphql_api.inputs import to_core
from graphql_api.lookahead import MISSING, cached, selects
from graphql_api.node import Node, NodeKind
from graphql_api.organizations.types import OrganizationType, owning_organization
from graphql_api.pagination import CountedConnection
from graphql_api.permissions import SourceOrganization, requires
from orm.models import PhoneNumber, VoiceAgent

if TYPE_CHECKING:
    from graphql_api.phone_numbers.types import PhoneNumberType
    from graphql_api.tools.types import AgentToolType, CustomFunctionType

_TOOLS = "graphql_api.tools.types"
_PHONE_NUMBERS = "graphql_api.phone_numbers.types"

# What the agent and its inputs share, described once.
_NAME = "The agent's name in the dashboard, 1 to 100 characters; callers do not hear it."
_SYSTEM_PROMPT = (
    f"The instructions the model follows on every call, 1 to {MAX_PROMPT_LENGTH:,} characters."
)
_PHONE_NUMBER_ID = (
    "The global id of one of the organization's numbers (`phoneNumbers`), not answered by "
    "another agent: calls to it reach this agent, and it calls from it."
)
_MAX_CALL_DURATION = (
    f"The longest a call may last, in seconds: {MIN_CALL_DURATION_SECONDS} to "
    f"{MAX_CALL_DURATION_SECONDS:,} (4 hours)."
)
_TRANSFER_MODE = (
    "How the agent hands a caller to the person at `transferTo`. `WARM` needs warm transfers "
    "on the platform (and a phone-number `transferTo`); where they are not possible the agent "
    "transfers cold."
)
_VOICEMAIL_ACTION = "What the agent does when an outgoing call reaches an answering machine."
_VOICEMAIL_MESSAGE = (
    f"What the agent says on an answering machine with `LEAVE_MESSAGE`, word for word, up to "
    f"{MAX_VOICEMAIL_MESSAGE_LENGTH:,} characters; empty: a short message the model composes."
)


@strawberry.type(name="Agent", description="An AI phone agent.")
class AgentType(Node):
    node_kind = NodeKind("agent", Permission.AGENT_READ)

    name: str = strawberry.field(description=_NAME)
    system_prompt: str = strawberry.field(description=_SYSTEM_PROMPT)
    greeting: str = strawberry.field(
        description=f"What the agent says first, word for word, as it joins a call (up to "
        f"{MAX_GREETING_LENGTH:,} characters); empty: it greets the caller in its own words."
    )
    voice: str = strawberry.field(description="The voice it speaks with: one of `agentVoices`.")
    language: str = strawberry.field(
        description="The language it speaks: a BCP 47 tag such as en-US."
    )
    is_active: bool = strawberry.field(
        description="Switched on. An inactive agent takes no calls and places none."
    )
    max_call_duration_seconds: int = strawberry.field(
        description=f"{_MAX_CALL_DURATION} A call still going then is ended (`max_duration`)."
    )
    transfer_to: str | None = strawberry.field(
        description="Where the agent transfers callers who ask for a human (E.164 number or "
        "sip: URI); null: it does not transfer."
    )
    transfer_mode: TransferMode = strawberry.field(description=_TRANSFER_MODE)
    voicemail_action: VoicemailAction = strawberry.field(description=_VOICEMAIL_ACTION)
    voicemail_message: str = strawberry.field(description=_VOICEMAIL_MESSAGE)
    created_at: datetime = strawberry.field(description="When the agent was created.")
    updated_at: datetime = strawberry.field(description="When its settings last changed.")
    model: strawberry.Private[VoiceAgent]

    @strawberry.field(description="The organization that owns the agent.")
    async def organization(self, info: Info) -> OrganizationType:
        return await owning_organization(info, self.model.organization_id)

    @property
    def organization_id(self) -> uuid.UUID:
        return self.model.organization_id

    @strawberry.field(
        description="The number that routes calls to this agent and that it calls from, in "
        "E.164 (`number` is the whole record); null: it takes no calls and places none."
    )
    def phone_number(self, info: Info) -> str | None:
        # Plain when the page loaded the numbers (graphql_api/lookahead.py), else awaited.
        if self.model.phone_number_id is None:
            return None
        number = cached(info.context.loaders.phone_number, self.model.phone_number_id)
        if number is MISSING:
            return self._e164(info)  # type: ignore[return-value]
        return number.e164 if number is not None else None

    async def _e164(self, info: Info) -> str | None:
        number = await self._number(info)
        return number.e164 if number is not None else None

    @strawberry.field(
        description="The organization's number assigned to this agent (see `phoneNumber`); "
        "null: none. Set it with `phoneNumberId`."
    )
    async def number(
        self, info: Info
    ) -> Annotated[PhoneNumberType, strawberry.lazy(_PHONE_NUMBERS)] | None:
        from graphql_api.phone_numbers.types import PhoneNumberType

        number = await self._number(info)
        return PhoneNumberType.from_model(number) if number is not None else None

    async def _number(self, info: Info) -> PhoneNumber | None:
        if self.model.phone_number_id is None:
            return None
        return await info.context.loaders.phone_number.load(self.model.phone_number_id)

    @strawberry.field(
        description="Tools configured on this agent, each with its functions.",
        extensions=requires(Permission.TOOL_READ, SourceOrganization()),
    )
    def tools(self, info: Info) -> list[Annotated[AgentToolType, strawberry.lazy(_TOOLS)]] | None:
        from graphql_api.tools.types import agent_tools_of

        return agent_tools_of(info, self.model.id)

    @strawberry.field(
        description="The organization's custom functions enabled on this agent.",
        extensions=requires(Permission.TOOL_READ, SourceOrganization()),
    )
    async def custom_functions(
        self, info: Info
    ) -> list[Annotated[CustomFunctionType, strawberry.lazy(_TOOLS)]] | None:
        from graphql_api.tools.types import custom_functions_of

        return await custom_functions_of(info, self.model.id)

    @strawberry.field(
        description="What the model is asked about each call once it ends (`Call.analysis`): "
        "the defaults until set with `analysisPlan`."
    )
    def analysis_plan(self) -> AnalysisPlanType:
        return AnalysisPlanType.from_stored(self.model.analysis_plan)

    @classmethod
    def from_model(cls, agent: VoiceAgent) -> AgentType:
        return cls(
            id=str(agent.id),
            name=agent.name,
            system_prompt=agent.system_prompt,
            greeting=agent.greeting,
            voice=agent.voice,
            language=agent.language,
            is_active=agent.is_active,
            max_call_duration_seconds=agent.max_call_duration_seconds,
            transfer_to=agent.transfer_to,
            transfer_mode=TransferMode(agent.transfer_mode),
            voicemail_action=VoicemailAction(agent.voicemail_action),
            voicemail_message=agent.voicemail_message,
            created_at=agent.created_at,
            updated_at=agent.updated_at,
            model=agent,
        )


def selects_number(info: Info) -> bool:
    """Whether the agents of this page show their number (`phoneNumber` or `number`)."""
    return selects(info, "edges", "node", "phoneNumber") or selects(info, "edges", "node", "number")


async def preload_agent_fields(
    info: Info, organization_id: uuid.UUID, rows: list[VoiceAgent]
) -> None:
    """Makes ready, for a page of agents, what the selection asks of each (`edges.node`),
    so that each agent's field answers from its loader at once (graphql_api/lookahead.py):
    their numbers, read with the page (`select_related`, when `selects_number`), and their
    tools, in the one batched read the tools loader would send, where the caller may read
    them (the field checks that itself either way)."""
    loaders = info.context.loaders
    if rows and selects_number(info):
        # Read with the page: the related row itself, not a query for it.
        loaders.phone_number.prime_many(
            {
                row.phone_number_id: row.phone_number
                for row in rows
                if row.phone_number_id is not None and isinstance(row.phone_number, PhoneNumber)
            }
        )
    if rows and selects(info, "edges", "node", "tools"):
        access = cached(loaders.access, organization_id)
        if access is not MISSING and access is not None and access.allows(Permission.TOOL_READ):
            await loaders.agent_tools_by_agent.load_many([row.id for row in rows])


@strawberry.type(name="AgentConnection", description="A page of agents, newest first.")
class AgentConnection(CountedConnection[AgentType]):
    pass


@strawberry.input(description="A new agent; an optional field left out takes its default.")
class AgentCreateInput:
    organization_id: strawberry.ID = strawberry.field(
        description="The global id of the organization that will own the agent."
    )
    name: str = strawberry.field(description=_NAME)
    system_prompt: str = strawberry.field(description=_SYSTEM_PROMPT)
    greeting: str | None = strawberry.field(
        default=None,
        description=f"What it says first, up to {MAX_GREETING_LENGTH:,} characters; omitted: "
        "it greets the caller in its own words.",
    )
    phone_number_id: strawberry.ID | None = strawberry.field(
        default=None, description=f"{_PHONE_NUMBER_ID} Omitted: no number."
    )
    voice: str | None = strawberry.field(
        default=None, description="One of `agentVoices`; omitted: Puck."
    )
    language: str | None = strawberry.field(
        default=None, description="A BCP 47 tag such as en-US; omitted: en-US."
    )
    max_call_duration_seconds: int | None = strawberry.field(
        default=None, description=f"{_MAX_CALL_DURATION} Omitted: 1,800 (30 minutes)."
    )
    transfer_to: str | None = strawberry.field(
        default=None,
        description="A phone number or sip: URI for transfers to a human; omitted: no transfers.",
    )
    transfer_mode: TransferMode | None = strawberry.field(
        default=None, description=f"{_TRANSFER_MODE} Omitted: `COLD`."
    )
    voicemail_action: VoicemailAction | None = strawberry.field(
        default=None, description=f"{_VOICEMAIL_ACTION} Omitted: `HANG_UP`."
    )
    voicemail_message: str | None = strawberry.field(
        default=None, description=f"{_VOICEMAIL_MESSAGE} Omitted: empty."
    )

    analysis_plan: AnalysisPlanInput | None = strawberry.field(
        default=None, description="The post-call analysis plan; omitted: the defaults."
    )

    def to_core(self) -> AgentCreate:
        return to_core(
            self,
            AgentCreate,
            **_phone_number_id(self.phone_number_id),
            **plan_values(self.analysis_plan),
        )


@strawberry.input(
    description="Omitted fields stay as they are; `phoneNumberId: null` takes the agent's "
    "number away (the organization keeps it)."
)
class AgentUpdateInput:
    id: strawberry.ID = strawberry.field(description="The agent's global id.")
    name: str | None = strawberry.field(default=strawberry.UNSET, description=_NAME)
    system_prompt: str | None = strawberry.field(
        default=strawberry.UNSET, description=_SYSTEM_PROMPT
    )
    greeting: str | None = strawberry.field(
        default=strawberry.UNSET,
        description=f"What it says first, up to {MAX_GREETING_LENGTH:,} characters; null or "
        "empty: it greets the caller in its own words.",
    )
    phone_number_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET,
        description=f"{_PHONE_NUMBER_ID} Null: the agent has no number any more.",
    )
    voice: str | None = strawberry.field(
        default=strawberry.UNSET, description="One of `agentVoices`."
    )
    language: str | None = strawberry.field(
        default=strawberry.UNSET, description="A BCP 47 tag such as en-US."
    )
    is_active: bool | None = strawberry.field(
        default=strawberry.UNSET, description="False: the agent takes and places no calls."
    )
    max_call_duration_seconds: int | None = strawberry.field(
        default=strawberry.UNSET, description=_MAX_CALL_DURATION
    )
    transfer_to: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="A phone number or sip: URI for transfers to a human; null: no transfers.",
    )
    transfer_mode: TransferMode | None = strawberry.field(
        default=strawberry.UNSET, description=_TRANSFER_MODE
    )
    voicemail_action: VoicemailAction | None = strawberry.field(
        default=strawberry.UNSET, description=_VOICEMAIL_ACTION
    )
    voicemail_message: str | None = strawberry.field(
        default=strawberry.UNSET, description=f"{_VOICEMAIL_MESSAGE} Null: empty."
    )

    analysis_plan: AnalysisPlanInput | None = strawberry.field(
        default=strawberry.UNSET,
        description="A new post-call analysis plan, replacing the whole plan; null: the "
        "defaults. Calls already begun keep theirs.",
    )

    def to_core(self) -> AgentChanges:
        return to_core(
            self,
            AgentChanges,
            **_phone_number_id(self.phone_number_id),
            **plan_values(self.analysis_plan),
        )


def _phone_number_id(value: str | UnsetType | None) -> dict[str, uuid.UUID | None]:
    """The number's database id for the service; an id naming no number (malformed, or of
    another type) is refused like one the organization does not hold."""
    if isinstance(value, UnsetType):
        return {}
    if value is None:
        return {"phone_number_id": None}
    try:
        return {"phone_number_id": ids.decode(value, "PhoneNumber")}
    except NotFoundError as error:
        raise agents.phone_number_not_found() from error
