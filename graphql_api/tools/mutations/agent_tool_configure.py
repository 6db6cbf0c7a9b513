from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

from core.rbac import Permission
from core.services import agent_tools
from core.services.agent_tools import AgentToolSetup
from graphql_api import ids
from graphql_api.context import Info
from graphql_api.errors import NotFoundError, mutation
from graphql_api.inputs import to_core
from graphql_api.permissions import ObjectArgument, requires
from graphql_api.tools.mutations.common import AgentToolPayload
from graphql_api.tools.types import AgentToolType


@strawberry.input(description="A platform tool to add to an agent, with its settings.")
class AgentToolConfigureInput:
    agent_id: strawberry.ID = strawberry.field(description="The agent's global id.")
    tool_id: strawberry.ID = strawberry.field(description="The platform tool's global id.")
    config: JSON = strawberry.field(description="Must match the tool's `configSchema`.")
    enabled: bool = strawberry.field(
        default=True, description="Switched on for the agent from the start (default true)."
    )
    disabled_functions: list[str] = strawberry.field(
        default_factory=list,
        description="Names of the tool's functions the agent may not call (default: none).",
    )
    secret_config: JSON | None = strawberry.field(
        default=None, description="API-key tools only; stored sealed, never shown again."
    )

    def to_core(self) -> AgentToolSetup:
        try:
            tool_id = ids.decode(self.tool_id, "PlatformTool")
        except NotFoundError as error:
            raise agent_tools.tool_not_found() from error
        return to_core(self, AgentToolSetup, tool_id=tool_id)


async def agent_tool_configure(info: Info, input: AgentToolConfigureInput) -> AgentToolPayload:
    """Add a tool to an agent."""
    agent = info.context.checked_for(info).target
    row = await agent_tools.configure(
        agent=agent, setup=input.to_core(), settings=info.context.settings
    )
    return AgentToolPayload(agent_tool=AgentToolType.from_model(row))


field = mutation(
    agent_tool_configure,
    permission=requires(
        Permission.TOOL_CONFIGURE, ObjectArgument("input.agent_id", "Agent", "agent")
    ),
)
