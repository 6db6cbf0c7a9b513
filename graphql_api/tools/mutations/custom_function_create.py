from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

from core.rbac import Permission
from core.services import custom_functions
from core.services.custom_functions import CustomFunctionCreate
from graphql_api.context import Info
from graphql_api.errors import mutation
from graphql_api.inputs import to_core
from graphql_api.permissions import OrganizationArgument, requires
from graphql_api.tools.mutations.common import CustomFunctionPayload
from graphql_api.tools.types import (
    CUSTOM_FUNCTION_DESCRIPTION,
    CUSTOM_FUNCTION_HEADERS,
    CUSTOM_FUNCTION_METHOD,
    CUSTOM_FUNCTION_NAME,
    CUSTOM_FUNCTION_PARAMETERS,
    CUSTOM_FUNCTION_TIMEOUT,
    CUSTOM_FUNCTION_URL_TEMPLATE,
    CustomFunctionType,
)


@strawberry.input(description="A new custom HTTP function of an organization.")
class CustomFunctionCreateInput:
    organization_id: strawberry.ID = strawberry.field(
        description="The global id of the organization that will own the function."
    )
    name: str = strawberry.field(description=CUSTOM_FUNCTION_NAME)
    description: str = strawberry.field(description=CUSTOM_FUNCTION_DESCRIPTION)
    parameters: JSON = strawberry.field(description=CUSTOM_FUNCTION_PARAMETERS)
    method: str = strawberry.field(description=CUSTOM_FUNCTION_METHOD)
    url_template: str = strawberry.field(description=CUSTOM_FUNCTION_URL_TEMPLATE)
    headers: JSON | None = strawberry.field(
        default=None, description=f"{CUSTOM_FUNCTION_HEADERS} Omitted: none."
    )
    secret_headers: JSON | None = strawberry.field(
        default=None, description="Header values stored sealed and never shown again."
    )
    timeout_seconds: float | None = strawberry.field(
        default=None, description=f"{CUSTOM_FUNCTION_TIMEOUT} Omitted: 10."
    )

    def to_core(self) -> CustomFunctionCreate:
        return to_core(self, CustomFunctionCreate)


async def custom_function_create(
    info: Info, input: CustomFunctionCreateInput
) -> CustomFunctionPayload:
    """Define a custom HTTP function for the organization's agents."""
    function = await custom_functions.create(
        organization_id=info.context.checked_for(info).access.organization_id,
        definition=input.to_core(),
        settings=info.context.settings,
    )
    return CustomFunctionPayload(custom_function=CustomFunctionType.from_model(function))


field = mutation(
    custom_function_create,
    permission=requires(Permission.TOOL_CONFIGURE, OrganizationArgument("input.organization_id")),
)
