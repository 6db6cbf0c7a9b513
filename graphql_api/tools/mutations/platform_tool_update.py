from __future__ import annotations

import strawberry

from core.services import agent_tools
from core.services.agent_tools import PlatformToolChanges
from graphql_api import ids
from graphql_api.context import Info
from graphql_api.errors import NotFoundError, mutation
from graphql_api.inputs import to_core
from graphql_api.permissions import platform_admin
from graphql_api.tools.mutations.common import PlatformToolPayload
from graphql_api.tools.types import PlatformToolType


@strawberry.input(description="A platform tool to switch or reword; omitted fields stay.")
class PlatformToolUpdateInput:
    id: strawberry.ID = strawberry.field(description="The platform tool's global id.")
    is_active: bool | None = strawberry.field(
        default=None, description="Offer the tool to every organization's agents, or stop."
    )
    description: str | None = strawberry.field(
        default=None, description="Shown instead of the code's description; empty restores it."
    )

    def to_core(self) -> PlatformToolChanges:
        return to_core(self, PlatformToolChanges)


async def platform_tool_update(info: Info, input: PlatformToolUpdateInput) -> PlatformToolPayload:
    """Switch a tool on or off for the whole platform, or reword it."""
    tool = await info.context.loaders.platform_tool.load(ids.decode(input.id, "PlatformTool"))
    if tool is None:
        raise NotFoundError("PlatformTool")
    tool = await agent_tools.update_platform_tool(tool=tool, changes=input.to_core())
    return PlatformToolPayload(platform_tool=PlatformToolType.from_model(tool))


field = mutation(platform_tool_update, permission=platform_admin())
