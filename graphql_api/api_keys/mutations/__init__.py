import strawberry

from core.rbac import Permission
from graphql_api.api_keys.mutations.api_key_create import api_key_create
from graphql_api.api_keys.mutations.api_key_revoke import api_key_revoke
from graphql_api.permissions import ObjectArgument, OrganizationArgument, requires


@strawberry.type
class ApiKeyMutations:
    api_key_create = strawberry.mutation(
        resolver=api_key_create,
        extensions=requires(
            Permission.API_KEY_MANAGE, OrganizationArgument("input.organization_id")
        ),
    )
    api_key_revoke = strawberry.mutation(
        resolver=api_key_revoke,
        extensions=requires(
            Permission.API_KEY_MANAGE, ObjectArgument("input.id", "ApiKey", "api_key")
        ),
    )
