from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

from core.errors import ServiceError
from core.services import custom_functions
from graphql_api.context import Info
from graphql_api.errors import payload_errors
from graphql_api.tools.mutations.common import CustomFunctionError, CustomFunctionPayload
from graphql_api.tools.types import CustomFunctionType


@strawberry.input
class CustomFunctionCreateInput:
    organization_id: strawberry.ID
    name: str = strawberry.field(description="What the model calls, e.g. `lookup_order`.")
    description: str = strawberry.field(description="What the model reads to decide to call it.")
    parameters: JSON = strawberry.field(description='JSON schema: {"type": "object", ...}.')
    method: str = strawberry.field(description="GET, POST, PUT, PATCH or DELETE.")
    url_template: str = strawberry.field(
        description="https URL with {parameter} placeholders, e.g. https://x.example/o/{id}."
    )
    headers: JSON | None = None
    secret_headers: JSON | None = strawberry.field(
        default=None, description="Header values stored sealed and never shown again."
    )
    timeout_seconds: float | None = None


async def custom_function_create(
    info: Info, input: CustomFunctionCreateInput
) -> CustomFunctionPayload:
    """Define a custom HTTP function for the organization's agents."""
    values = {
        "name": input.name,
        "description": input.description,
        "parameters": input.parameters,
        "method": input.method,
        "url_template": input.url_template,
        "headers": input.headers or {},
        "secret_headers": input.secret_headers,
        "timeout_seconds": input.timeout_seconds,
    }
    try:
        function = await custom_functions.create(
            organization_id=info.context.checked_for(info).access.organization_id,
            values=values,
            settings=info.context.settings,
        )
    except ServiceError as error:
        return CustomFunctionPayload(errors=payload_errors(CustomFunctionError, error.errors))
    return CustomFunctionPayload(custom_function=CustomFunctionType.from_model(function))
