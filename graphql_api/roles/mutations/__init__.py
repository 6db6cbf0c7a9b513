import strawberry

from graphql_api.permissions import platform_admin
from graphql_api.roles.mutations.role_create import role_create
from graphql_api.roles.mutations.role_delete import role_delete
from graphql_api.roles.mutations.role_update import role_update


@strawberry.type
class RoleMutations:
    role_create = strawberry.mutation(resolver=role_create, extensions=platform_admin())
    role_update = strawberry.mutation(resolver=role_update, extensions=platform_admin())
    role_delete = strawberry.mutation(resolver=role_delete, extensions=platform_admin())
