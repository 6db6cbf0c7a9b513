"""The role mutations; each module declares its resolver and its permission."""

import strawberry

from graphql_api.roles.mutations import role_create, role_delete, role_update


@strawberry.type
class RoleMutations:
    role_create = role_create.field
    role_update = role_update.field
    role_delete = role_delete.field
