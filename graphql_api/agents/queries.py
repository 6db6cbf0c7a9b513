from __future__ import annotations

import uuid
from typing import Annotated

import strawberry

from core.rbac import Permission
from core.services import agents
from graphql_api.agents.types import (
    AgentConnection,
    AgentType,
    preload_agent_fields,
    selects_number,
)
from graphql_api.context import Info
from graphql_api.descriptions import OrganizationId
from graphql_api.pagination import after_argument, first_argument, paginate
from graphql_api.permissions import ObjectArgument, OrganizationArgument, authenticated, requires


async def agents_page(
    *, info: Info, organization_id: uuid.UUID, first: int | None, after: str | None
) -> AgentConnection:
    query = agents.get_all(organization_id=organization_id)
    if selects_number(info):
        query = query.select_related("phone_number")
    page = await paginate(
        query,
        first=first,
        after=after,
        to_node=AgentType.from_model,
        connection=AgentConnection,
    )
    await preload_agent_fields(info, organization_id, [edge.node.model for edge in page.edges])
    return page


@strawberry.type
class AgentQueries:
    @strawberry.field(
        description="One agent; null, with NOT_FOUND, when it is missing or not yours.",
        extensions=requires(Permission.AGENT_READ, ObjectArgument("id", "Agent", "agent")),
    )
    async def agent(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The agent's global id.")],
    ) -> AgentType | None:
        return AgentType.from_model(info.context.checked_for(info).target)

    @strawberry.field(
        description="An organization's agents, newest first.",
        extensions=requires(Permission.AGENT_READ, OrganizationArgument()),
    )
    async def agents(
        self,
        info: Info,
        organization_id: OrganizationId,
        first: Annotated[int | None, first_argument(AgentConnection.page_size)] = (
            AgentConnection.page_size.default
        ),
        after: Annotated[str | None, after_argument()] = None,
    ) -> AgentConnection | None:
        checked = info.context.checked_for(info)
        return await agents_page(
            info=info, organization_id=checked.access.organization_id, first=first, after=after
        )

    @strawberry.field(description="Voices an agent can speak with.", extensions=authenticated())
    def agent_voices(self) -> list[str]:
        return list(agents.VOICES)
