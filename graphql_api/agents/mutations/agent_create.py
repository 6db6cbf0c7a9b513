from __future__ import annotations

from core.rbac import Permission
from core.services import agents
from graphql_api.agents.mutations.common import AgentPayload
from graphql_api.agents.types import AgentCreateInput, AgentType
from graphql_api.context import Info
from graphql_api.errors import mutation
from graphql_api.organizations.mutations.common import checked_organization
from graphql_api.permissions import OrganizationArgument, requires


async def agent_create(info: Info, input: AgentCreateInput) -> AgentPayload:
    """Create a voice agent."""
    organization = await checked_organization(info)
    agent = await agents.create(
        organization=organization, fields=input.to_core(), settings=info.context.settings
    )
    return AgentPayload(agent=AgentType.from_model(agent))


field = mutation(
    agent_create,
    permission=requires(Permission.AGENT_CREATE, OrganizationArgument("input.organization_id")),
)
