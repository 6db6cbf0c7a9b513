from __future__ import annotations

import strawberry

from core.rbac import Permission
from core.services import agent_tools
from graphql_api.context import Info
from graphql_api.errors import mutation
from graphql_api.permissions import ObjectArgument, requires
from graphql_api.tools.mutations.common import AgentToolPayload
from graphql_api.tools.types import AgentToolType


@strawberry.input(description="The agent's OAuth tool whose account to forget.")
class AgentToolDisconnectInput:
    id: strawberry.ID = strawberry.field(description="The agent tool's global id.")


async def agent_tool_disconnect(info: Info, input: AgentToolDisconnectInput) -> AgentToolPayload:
    """Forget the connected account; the grant is revoked at the provider."""
    row = info.context.checked_for(info).target
    row = await agent_tools.disconnect(agent_tool=row)
    return AgentToolPayload(agent_tool=AgentToolType.from_model(row))


field = mutation(
    agent_tool_disconnect,
    permission=requires(
        Permission.TOOL_CONFIGURE, ObjectArgument("input.id", "AgentTool", "agent_tool")
    ),
)
