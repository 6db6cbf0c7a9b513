from __future__ import annotations

import strawberry

from core.errors import ServiceError
from core.services import api_keys
from graphql_api.api_keys.mutations.common import ApiKeyError
from graphql_api.api_keys.types import ApiKeyType
from graphql_api.context import Info
from graphql_api.errors import payload_errors
from graphql_api.organizations.mutations.common import checked_organization


@strawberry.input
class ApiKeyCreateInput:
    organization_id: strawberry.ID
    name: str
    role: str = strawberry.field(description="The role the key acts with, e.g. `member`.")


@strawberry.type
class ApiKeyCreatePayload:
    api_key: ApiKeyType | None = None
    key: str | None = strawberry.field(
        default=None, description="The secret key. Shown this once; store it now."
    )
    errors: list[ApiKeyError] = strawberry.field(default_factory=list)  # type: ignore[valid-type]


async def api_key_create(info: Info, input: ApiKeyCreateInput) -> ApiKeyCreatePayload:
    """Create an API key acting inside this organization with a role you hold."""
    organization = await checked_organization(info)
    try:
        key, plain = await api_keys.create(
            organization=organization,
            name=input.name,
            role_key=input.role,
            created_by=info.context.principal.user,
            granted_by=info.context.checked_for(info).access,
        )
    except ServiceError as error:
        return ApiKeyCreatePayload(errors=payload_errors(ApiKeyError, error.errors))
    return ApiKeyCreatePayload(api_key=ApiKeyType.from_model(key), key=plain)
