from __future__ import annotations

import uuid

import strawberry

from core.rbac import Permission
from core.services import agents
from graphql_api.agents.types import AgentConnection, AgentType
from graphql_api.context import Info
from graphql_api.pagination import paginate
from graphql_api.permissions import ObjectArgument, OrganizationArgument, authenticated, requires


async def agents_page(
    *, organization_id: uuid.UUID, first: int | None, after: str | None
) -> AgentConnection:
    return await paginate(  # type: ignore[return-value]
        agents.get_all(organization_id=organization_id),
        first=first,
        after=after,
        to_node=AgentType.from_model,
        connection=AgentConnection,
    )


@strawberry.type
class AgentQueries:
    @strawberry.field(
        description="One agent.",
        extensions=requires(Permission.AGENT_READ, ObjectArgument("id", "Agent", "agent")),
    )
    async def agent(self, info: Info, id: strawberry.ID) -> AgentType:
        return AgentType.from_model(info.context.checked_for(info).target)

    @strawberry.field(
        description="An organization's agents, newest first.",
        extensions=requires(Permission.AGENT_READ, OrganizationArgument()),
    )
    async def agents(
        self,
        info: Info,
        organization_id: strawberry.ID,
        first: int | None = 20,
        after: str | None = None,
    ) -> AgentConnection:
        checked = info.context.checked_for(info)
        return await agents_page(
            organization_id=checked.access.organization_id, first=first, after=after
        )

    @strawberry.field(description="Voices an agent can speak with.", extensions=authenticated())
    def agent_voices(self) -> list[str]:
        return list(agents.VOICES)
