from __future__ import annotations

import strawberry

from core.services import agent_tools
from graphql_api.context import Info
from graphql_api.tools.mutations.common import AgentToolPayload
from graphql_api.tools.types import AgentToolType


@strawberry.input
class AgentToolRemoveInput:
    id: strawberry.ID


async def agent_tool_remove(info: Info, input: AgentToolRemoveInput) -> AgentToolPayload:
    """Take a tool off an agent; a connected account is revoked."""
    row = info.context.checked_for(info).target
    removed = AgentToolType.from_model(row)
    await agent_tools.remove(agent_tool=row)
    return AgentToolPayload(agent_tool=removed)
