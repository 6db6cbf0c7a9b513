import strawberry

from graphql_api.permissions import platform_admin
from graphql_api.roles.mutations.role_create import role_create


@strawberry.type
class RoleMutations:
    role_create = strawberry.mutation(resolver=role_create, extensions=platform_admin())
