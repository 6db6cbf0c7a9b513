from __future__ import annotations

import strawberry

from core.rbac import Permission
from core.services import custom_functions
from graphql_api.context import Info
from graphql_api.errors import mutation
from graphql_api.permissions import ObjectArgument, requires
from graphql_api.tools.mutations.common import CustomFunctionPayload
from graphql_api.tools.types import CustomFunctionType


@strawberry.input(description="The custom function to delete.")
class CustomFunctionDeleteInput:
    id: strawberry.ID = strawberry.field(description="The custom function's global id.")


async def custom_function_delete(
    info: Info, input: CustomFunctionDeleteInput
) -> CustomFunctionPayload:
    """Delete a custom function; agents stop offering it."""
    function = info.context.checked_for(info).target
    deleted = CustomFunctionType.from_model(function)
    await custom_functions.delete(function=function)
    return CustomFunctionPayload(custom_function=deleted)


field = mutation(
    custom_function_delete,
    permission=requires(
        Permission.TOOL_CONFIGURE, ObjectArgument("input.id", "CustomFunction", "custom_function")
    ),
)
