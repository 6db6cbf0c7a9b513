from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

from core.rbac import Permission
from graphql_api.context import Info
from graphql_api.errors import NotFoundError
from graphql_api.organizations.types import OrganizationType
from graphql_api.permissions import SourceOrganization, requires
from orm.models import VoiceAgent

if TYPE_CHECKING:
    from graphql_api.tools.types import AgentToolType, CustomFunctionType

_TOOLS = "graphql_api.tools.types"


@strawberry.type(name="Agent", description="An AI phone agent.")
class AgentType(relay.Node):
    id: relay.NodeID[str]
    name: str
    system_prompt: str
    greeting: str = strawberry.field(description="Said as soon as the agent joins a call.")
    phone_number: str | None = strawberry.field(description="E.164, unique on the platform.")
    voice: str
    language: str = strawberry.field(description="BCP 47 tag, e.g. en-US.")
    is_active: bool
    max_call_duration_seconds: int
    transfer_to: str | None = strawberry.field(
        description="Where the agent transfers callers who ask for a human (number or sip: URI)."
    )
    created_at: datetime
    updated_at: datetime
    model: strawberry.Private[VoiceAgent]

    @strawberry.field
    async def organization(self, info: Info) -> OrganizationType:
        organization = await info.context.loaders.organization.load(
            self.model.organization_id  # type: ignore[attr-defined]
        )
        if organization is None:
            raise NotFoundError("Organization")
        return OrganizationType.from_model(organization)

    @property
    def organization_id(self):  # type: ignore[no-untyped-def]
        return self.model.organization_id  # type: ignore[attr-defined]

    @strawberry.field(
        description="Tools configured on this agent, each with its functions.",
        extensions=requires(Permission.TOOL_READ, SourceOrganization()),
    )
    async def tools(
        self, info: Info
    ) -> list[Annotated[AgentToolType, strawberry.lazy(_TOOLS)]] | None:
        from graphql_api.tools.types import agent_tools_of

        return await agent_tools_of(info, self.model.id)

    @strawberry.field(
        description="The organization's custom functions enabled on this agent.",
        extensions=requires(Permission.TOOL_READ, SourceOrganization()),
    )
    async def custom_functions(
        self, info: Info
    ) -> list[Annotated[CustomFunctionType, strawberry.lazy(_TOOLS)]] | None:
        from graphql_api.tools.types import custom_functions_of

        return await custom_functions_of(info, self.model.id)

    @classmethod
    def from_model(cls, agent: VoiceAgent) -> AgentType:
        return cls(
            id=str(agent.id),
            name=agent.name,
            system_prompt=agent.system_prompt,
            greeting=agent.greeting,
            phone_number=agent.phone_number,
            voice=agent.voice,
            language=agent.language,
            is_active=agent.is_active,
            max_call_duration_seconds=agent.max_call_duration_seconds,
            transfer_to=agent.transfer_to,
            created_at=agent.created_at,
            updated_at=agent.updated_at,
            model=agent,
        )


@strawberry.type(name="AgentConnection")
class AgentConnection(relay.Connection[AgentType]):
    pass
