from __future__ import annotations

import strawberry

from core.errors import ServiceError
from core.services import roles
from graphql_api.context import Info
from graphql_api.errors import payload_errors
from graphql_api.roles.mutations.common import RoleError, RolePayload
from graphql_api.roles.types import RoleType


@strawberry.input
class RoleCreateInput:
    key: str
    name: str
    description: str = ""
    permissions: list[str] = strawberry.field(description="Organization permission strings.")


async def role_create(info: Info, input: RoleCreateInput) -> RolePayload:
    """Create a custom role (platform admins only)."""
    try:
        role = await roles.create(
            key=input.key,
            name=input.name,
            description=input.description,
            permissions=input.permissions,
        )
    except ServiceError as error:
        return RolePayload(errors=payload_errors(RoleError, error.errors))
    return RolePayload(role=RoleType.from_model(role))
