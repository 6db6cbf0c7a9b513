from __future__ import annotations

from core.rbac import Permission
from core.services import agents
from graphql_api.agents.mutations.common import AgentPayload
from graphql_api.agents.types import AgentType, AgentUpdateInput
from graphql_api.context import Info
from graphql_api.errors import mutation
from graphql_api.permissions import ObjectArgument, requires


async def agent_update(info: Info, input: AgentUpdateInput) -> AgentPayload:
    """Change an agent; calls in progress keep the settings they started with."""
    agent = info.context.checked_for(info).target
    agent = await agents.update(
        agent=agent, changes=input.to_core(), settings=info.context.settings
    )
    return AgentPayload(agent=AgentType.from_model(agent))


field = mutation(
    agent_update,
    permission=requires(Permission.AGENT_UPDATE, ObjectArgument("input.id", "Agent", "agent")),
)
