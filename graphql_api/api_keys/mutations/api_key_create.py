from __future__ import annotations

import strawberry

from core.rbac import Permission
from core.services import api_keys
from graphql_api.api_keys.mutations.common import ApiKeyError
from graphql_api.api_keys.types import ApiKeyType
from graphql_api.context import Info
from graphql_api.errors import Payload, mutation
from graphql_api.organizations.mutations.common import checked_organization
from graphql_api.permissions import OrganizationArgument, requires


@strawberry.input(description="A new API key: where it acts, and with which role.")
class ApiKeyCreateInput:
    organization_id: strawberry.ID = strawberry.field(
        description="The global id of the organization the key acts in."
    )
    name: str = strawberry.field(description="What the key is for, 1 to 100 characters.")
    role: str = strawberry.field(description="The role the key acts with, e.g. `member`.")


@strawberry.type(description="The new API key, with its secret.")
class ApiKeyCreatePayload(Payload[ApiKeyError]):
    api_key: ApiKeyType | None = strawberry.field(
        default=None, description="The key's record, without the secret."
    )
    key: str | None = strawberry.field(
        default=None, description="The secret key. Shown this once; store it now."
    )


async def api_key_create(info: Info, input: ApiKeyCreateInput) -> ApiKeyCreatePayload:
    """Create an API key acting inside this organization with a role you hold."""
    organization = await checked_organization(info)
    key, plain = await api_keys.create(
        organization=organization,
        name=input.name,
        role_key=input.role,
        created_by=info.context.principal.user,
        granted_by=info.context.checked_for(info).access,
    )
    return ApiKeyCreatePayload(api_key=ApiKeyType.from_model(key), key=plain)


field = mutation(
    api_key_create,
    permission=requires(Permission.API_KEY_MANAGE, OrganizationArgument("input.organization_id")),
)
