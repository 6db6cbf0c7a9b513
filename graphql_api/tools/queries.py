from __future__ import annotations

from typing import Annotated

import strawberry

from core.rbac import Permission
from core.services import agent_tools, custom_functions
from graphql_api.context import Info
from graphql_api.descriptions import OrganizationId
from graphql_api.permissions import OrganizationArgument, authenticated, requires
from graphql_api.tools.types import CustomFunctionType, PlatformToolType


@strawberry.type
class ToolQueries:
    @strawberry.field(description="Tools the platform offers.", extensions=authenticated())
    async def platform_tools(
        self,
        only_active: Annotated[
            bool | None,
            strawberry.argument(
                description="True: only the tools offered now (switched on, still in the "
                "platform's code); otherwise every tool."
            ),
        ] = None,
    ) -> list[PlatformToolType]:
        rows = await agent_tools.get_platform_tools(only_active=only_active)
        return [PlatformToolType.from_model(row) for row in rows]

    @strawberry.field(
        description="The organization's custom HTTP functions.",
        extensions=requires(Permission.TOOL_READ, OrganizationArgument()),
    )
    async def custom_functions(
        self, info: Info, organization_id: OrganizationId
    ) -> list[CustomFunctionType] | None:
        rows = await custom_functions.get_all(
            organization_id=info.context.checked_for(info).access.organization_id
        )
        return [CustomFunctionType.from_model(row) for row in rows]
