from __future__ import annotations

import strawberry

from core.services.roles import RoleErrorCode
from graphql_api import ids
from graphql_api.context import Info
from graphql_api.errors import NotFoundError, error_type
from graphql_api.roles.types import RoleType
from orm.models import Role

RoleError = error_type("RoleError", RoleErrorCode)


@strawberry.type
class RolePayload:
    role: RoleType | None = None
    errors: list[RoleError] = strawberry.field(default_factory=list)  # type: ignore[valid-type]


async def role_named(info: Info, role_id: strawberry.ID) -> Role:
    """The role a global id names; an unknown one is NOT_FOUND."""
    role = await info.context.loaders.role.load(ids.decode(role_id, "Role"))
    if role is None:
        raise NotFoundError("Role")
    return role
