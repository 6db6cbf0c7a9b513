from __future__ import annotations

import strawberry

from core.rbac import Permission
from core.services import agents
from graphql_api.agents.mutations.common import AgentPayload
from graphql_api.agents.types import AgentType
from graphql_api.context import Info
from graphql_api.errors import mutation
from graphql_api.permissions import ObjectArgument, requires


@strawberry.input(description="The agent to delete.")
class AgentDeleteInput:
    id: strawberry.ID = strawberry.field(description="The agent's global id.")


async def agent_delete(info: Info, input: AgentDeleteInput) -> AgentPayload:
    """Delete an agent; its phone number stays with the organization, assigned to no agent."""
    agent = info.context.checked_for(info).target
    deleted = AgentType.from_model(agent)
    await agents.delete(agent=agent)
    return AgentPayload(agent=deleted)


field = mutation(
    agent_delete,
    permission=requires(Permission.AGENT_DELETE, ObjectArgument("input.id", "Agent", "agent")),
)
