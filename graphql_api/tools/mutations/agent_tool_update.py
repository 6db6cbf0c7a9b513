from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

from core.rbac import Permission
from core.services import agent_tools
from core.services.agent_tools import AgentToolChanges
from graphql_api.context import Info
from graphql_api.errors import mutation
from graphql_api.inputs import to_core
from graphql_api.permissions import ObjectArgument, requires
from graphql_api.tools.mutations.common import AgentToolPayload
from graphql_api.tools.types import AgentToolType


@strawberry.input(description="Omitted fields stay as they are.")
class AgentToolUpdateInput:
    id: strawberry.ID = strawberry.field(description="The agent tool's global id.")
    config: JSON | None = strawberry.field(
        default=None, description="The new settings; must match the tool's `configSchema`."
    )
    enabled: bool | None = strawberry.field(
        default=None, description="Switch the tool on or off for this agent."
    )
    disabled_functions: list[str] | None = strawberry.field(
        default=None,
        description="Exactly the names of the tool's functions the agent may not call from now on.",
    )
    secret_config: JSON | None = strawberry.field(
        default=None,
        description="API-key tools only: new secret values; stored sealed, never shown again.",
    )

    def to_core(self) -> AgentToolChanges:
        return to_core(self, AgentToolChanges)


async def agent_tool_update(info: Info, input: AgentToolUpdateInput) -> AgentToolPayload:
    """Change an agent tool's config, switch, disabled functions or secrets."""
    row = info.context.checked_for(info).target
    row = await agent_tools.update(
        agent_tool=row, changes=input.to_core(), settings=info.context.settings
    )
    return AgentToolPayload(agent_tool=AgentToolType.from_model(row))


field = mutation(
    agent_tool_update,
    permission=requires(
        Permission.TOOL_CONFIGURE, ObjectArgument("input.id", "AgentTool", "agent_tool")
    ),
)
