from __future__ import annotations

import strawberry

from core.services.roles import RoleErrorCode
from graphql_api import ids
from graphql_api.context import Info
from graphql_api.descriptions import error_code_enum
from graphql_api.errors import (
    CODE_DESCRIPTION,
    PAYLOAD_ERROR_DESCRIPTION,
    NotFoundError,
    Payload,
    PayloadError,
)
from graphql_api.roles.types import RoleType
from orm.models import Role

error_code_enum(
    RoleErrorCode,
    name="RoleErrorCode",
    description="Why a role mutation (or a grant of a role) refused its input.",
)


@strawberry.type(description=PAYLOAD_ERROR_DESCRIPTION)
class RoleError(PayloadError):
    code: RoleErrorCode = strawberry.field(description=CODE_DESCRIPTION)


@strawberry.type(description="The role created, changed or deleted.")
class RolePayload(Payload[RoleError]):
    role: RoleType | None = strawberry.field(
        default=None, description="The role as saved; after `roleDelete`, as it was."
    )


async def role_named(info: Info, role_id: strawberry.ID) -> Role:
    """The role a global id names; an unknown one is NOT_FOUND."""
    role = await info.context.loaders.role.load(ids.decode(role_id, "Role"))
    if role is None:
        raise NotFoundError("Role")
    return role
