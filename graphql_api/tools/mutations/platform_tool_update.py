from __future__ import annotations

import strawberry

from core.services import agent_tools
from graphql_api import ids
from graphql_api.context import Info
from graphql_api.errors import NotFoundError
from graphql_api.tools.mutations.common import PlatformToolPayload
from graphql_api.tools.types import PlatformToolType


@strawberry.input
class PlatformToolUpdateInput:
    id: strawberry.ID
    is_active: bool | None = None
    description: str | None = strawberry.field(
        default=None, description="Shown instead of the code's description; empty restores it."
    )


async def platform_tool_update(info: Info, input: PlatformToolUpdateInput) -> PlatformToolPayload:
    """Switch a tool on or off for the whole platform, or reword it (platform admins)."""
    tool = await info.context.loaders.platform_tool.load(ids.decode(input.id, "PlatformTool"))
    if tool is None:
        raise NotFoundError("PlatformTool")
    tool = await agent_tools.update_platform_tool(
        tool=tool, is_active=input.is_active, description=input.description
    )
    return PlatformToolPayload(platform_tool=PlatformToolType.from_model(tool))
