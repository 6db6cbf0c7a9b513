from __future__ import annotations

import strawberry

from core.errors import ServiceError
from core.services import roles
from graphql_api.context import Info
from graphql_api.errors import payload_errors
from graphql_api.roles.mutations.common import RoleError, RolePayload, role_named
from graphql_api.roles.types import RoleType


@strawberry.input
class RoleDeleteInput:
    id: strawberry.ID


async def role_delete(info: Info, input: RoleDeleteInput) -> RolePayload:
    """Delete a custom role nobody holds (platform admins only); the payload shows it as it was."""
    role = await role_named(info, input.id)
    # Read now, so the payload can still show what the role held.
    await info.context.loaders.role_permissions.load(role.id)
    try:
        await roles.delete(role=role)
    except ServiceError as error:
        return RolePayload(errors=payload_errors(RoleError, error.errors))
    return RolePayload(role=RoleType.from_model(role))
