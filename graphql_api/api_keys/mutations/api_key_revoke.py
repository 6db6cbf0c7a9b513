from __future__ import annotations

import strawberry

from core.rbac import Permission
from core.services import api_keys
from graphql_api.api_keys.mutations.common import ApiKeyPayload
from graphql_api.api_keys.types import ApiKeyType
from graphql_api.context import Info
from graphql_api.errors import mutation
from graphql_api.organizations.mutations.common import checked_organization
from graphql_api.permissions import ObjectArgument, requires


@strawberry.input(description="The API key to revoke.")
class ApiKeyRevokeInput:
    id: strawberry.ID = strawberry.field(description="The key's global id.")


async def api_key_revoke(info: Info, input: ApiKeyRevokeInput) -> ApiKeyPayload:
    """Revoke an API key; it stops working on its next request."""
    organization = await checked_organization(info)
    target = info.context.checked_for(info).target
    key = await api_keys.revoke(
        organization=organization, api_key_id=target.id, bus=info.context.bus
    )
    return ApiKeyPayload(api_key=ApiKeyType.from_model(key))


field = mutation(
    api_key_revoke,
    permission=requires(Permission.API_KEY_MANAGE, ObjectArgument("input.id", "ApiKey", "api_key")),
)
