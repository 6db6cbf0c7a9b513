from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

from core.rbac import Permission
from core.services import custom_functions
from core.services.custom_functions import CustomFunctionChanges
from graphql_api.context import Info
from graphql_api.errors import mutation
from graphql_api.inputs import to_core
from graphql_api.permissions import ObjectArgument, requires
from graphql_api.tools.mutations.common import CustomFunctionPayload
from graphql_api.tools.types import (
    CUSTOM_FUNCTION_DESCRIPTION,
    CUSTOM_FUNCTION_HEADERS,
    CUSTOM_FUNCTION_IS_ACTIVE,
    CUSTOM_FUNCTION_METHOD,
    CUSTOM_FUNCTION_NAME,
    CUSTOM_FUNCTION_PARAMETERS,
    CUSTOM_FUNCTION_TIMEOUT,
    CUSTOM_FUNCTION_URL_TEMPLATE,
    CustomFunctionType,
)


@strawberry.input(description="Omitted fields stay; secretHeaders replaces all secret headers.")
class CustomFunctionUpdateInput:
    id: strawberry.ID = strawberry.field(description="The custom function's global id.")
    name: str | None = strawberry.field(default=strawberry.UNSET, description=CUSTOM_FUNCTION_NAME)
    description: str | None = strawberry.field(
        default=strawberry.UNSET, description=CUSTOM_FUNCTION_DESCRIPTION
    )
    parameters: JSON | None = strawberry.field(
        default=strawberry.UNSET, description=CUSTOM_FUNCTION_PARAMETERS
    )
    method: str | None = strawberry.field(
        default=strawberry.UNSET, description=CUSTOM_FUNCTION_METHOD
    )
    url_template: str | None = strawberry.field(
        default=strawberry.UNSET, description=CUSTOM_FUNCTION_URL_TEMPLATE
    )
    headers: JSON | None = strawberry.field(
        default=strawberry.UNSET, description=CUSTOM_FUNCTION_HEADERS
    )
    secret_headers: JSON | None = strawberry.field(
        default=strawberry.UNSET,
        description="Every secret header from now on (names to values), stored sealed and "
        "never shown again; `{}` removes them all.",
    )
    timeout_seconds: float | None = strawberry.field(
        default=strawberry.UNSET, description=CUSTOM_FUNCTION_TIMEOUT
    )
    is_active: bool | None = strawberry.field(
        default=strawberry.UNSET, description=CUSTOM_FUNCTION_IS_ACTIVE
    )

    def to_core(self) -> CustomFunctionChanges:
        return to_core(self, CustomFunctionChanges)


async def custom_function_update(
    info: Info, input: CustomFunctionUpdateInput
) -> CustomFunctionPayload:
    """Change a custom function."""
    function = info.context.checked_for(info).target
    function = await custom_functions.update(
        function=function, changes=input.to_core(), settings=info.context.settings
    )
    return CustomFunctionPayload(custom_function=CustomFunctionType.from_model(function))


field = mutation(
    custom_function_update,
    permission=requires(
        Permission.TOOL_CONFIGURE, ObjectArgument("input.id", "CustomFunction", "custom_function")
    ),
)
