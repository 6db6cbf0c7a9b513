from __future__ import annotations

import strawberry

from core.rbac import Permission
from core.services import agent_tools
from graphql_api.context import Info
from graphql_api.errors import mutation
from graphql_api.permissions import ObjectArgument, requires
from graphql_api.tools.mutations.common import AgentToolPayload
from graphql_api.tools.types import AgentToolType


@strawberry.input(description="The tool to take off its agent.")
class AgentToolRemoveInput:
    id: strawberry.ID = strawberry.field(description="The agent tool's global id.")


async def agent_tool_remove(info: Info, input: AgentToolRemoveInput) -> AgentToolPayload:
    """Take a tool off an agent; a connected account is revoked."""
    row = info.context.checked_for(info).target
    removed = AgentToolType.from_model(row)
    await agent_tools.remove(agent_tool=row)
    return AgentToolPayload(agent_tool=removed)


field = mutation(
    agent_tool_remove,
    permission=requires(
        Permission.TOOL_CONFIGURE, ObjectArgument("input.id", "AgentTool", "agent_tool")
    ),
)
