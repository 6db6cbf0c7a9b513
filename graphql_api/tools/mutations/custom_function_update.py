from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

from core.errors import ServiceError
from core.services import custom_functions
from graphql_api.context import Info
from graphql_api.errors import payload_errors
from graphql_api.tools.mutations.common import CustomFunctionError, CustomFunctionPayload
from graphql_api.tools.types import CustomFunctionType

_FIELDS = (
    "name",
    "description",
    "parameters",
    "method",
    "url_template",
    "headers",
    "secret_headers",
    "timeout_seconds",
    "is_active",
)


@strawberry.input(description="Omitted fields stay; secretHeaders replaces all secret headers.")
class CustomFunctionUpdateInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    parameters: JSON | None = strawberry.UNSET
    method: str | None = strawberry.UNSET
    url_template: str | None = strawberry.UNSET
    headers: JSON | None = strawberry.UNSET
    secret_headers: JSON | None = strawberry.UNSET
    timeout_seconds: float | None = strawberry.UNSET
    is_active: bool | None = strawberry.UNSET


async def custom_function_update(
    info: Info, input: CustomFunctionUpdateInput
) -> CustomFunctionPayload:
    """Change a custom function."""
    function = info.context.checked_for(info).target
    changes = {
        key: value
        for key in _FIELDS
        if (value := getattr(input, key)) is not strawberry.UNSET and value is not None
    }
    try:
        function = await custom_functions.update(
            function=function, changes=changes, settings=info.context.settings
        )
    except ServiceError as error:
        return CustomFunctionPayload(errors=payload_errors(CustomFunctionError, error.errors))
    return CustomFunctionPayload(custom_function=CustomFunctionType.from_model(function))
