from __future__ import annotations

import strawberry

from core.services import agents
from graphql_api.agents.mutations.common import AgentPayload
from graphql_api.agents.types import AgentType
from graphql_api.context import Info


@strawberry.input
class AgentDeleteInput:
    id: strawberry.ID


async def agent_delete(info: Info, input: AgentDeleteInput) -> AgentPayload:
    """Delete an agent; its phone number becomes free."""
    agent = info.context.checked_for(info).target
    deleted = AgentType.from_model(agent)
    await agents.delete(agent=agent)
    return AgentPayload(agent=deleted)
