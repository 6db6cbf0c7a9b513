from __future__ import annotations

import strawberry

from core.services import roles
from graphql_api.context import Info
from graphql_api.errors import mutation
from graphql_api.permissions import platform_admin
from graphql_api.roles.mutations.common import RolePayload, role_named
from graphql_api.roles.types import RoleType


@strawberry.input(description="The custom role to delete.")
class RoleDeleteInput:
    id: strawberry.ID = strawberry.field(description="The role's global id.")


async def role_delete(info: Info, input: RoleDeleteInput) -> RolePayload:
    """Delete a custom role nobody holds; the payload shows it as it was."""
    role = await role_named(info, input.id)
    # Read now, so the payload can still show what the role held.
    await info.context.loaders.role_permissions.load(role.id)
    await roles.delete(role=role)
    return RolePayload(role=RoleType.from_model(role))


field = mutation(role_delete, permission=platform_admin())
