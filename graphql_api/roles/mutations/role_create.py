from __future__ import annotations

import strawberry

from core.services import roles
from graphql_api.context import Info
from graphql_api.errors import mutation
from graphql_api.permissions import platform_admin
from graphql_api.roles.mutations.common import RolePayload
from graphql_api.roles.types import RoleType


@strawberry.input(description="A new custom role.")
class RoleCreateInput:
    key: str = strawberry.field(
        description="The stable identifier, unique: a lower-case letter, then 1 to 62 "
        "lower-case letters, digits or underscores."
    )
    name: str = strawberry.field(description="A display name, 1 to 100 characters.")
    description: str = strawberry.field(default="", description="What the role is for.")
    permissions: list[str] = strawberry.field(description="Organization permission strings.")


async def role_create(info: Info, input: RoleCreateInput) -> RolePayload:
    """Create a custom role holding organization permissions."""
    role = await roles.create(
        key=input.key,
        name=input.name,
        description=input.description,
        permissions=input.permissions,
    )
    return RolePayload(role=RoleType.from_model(role))


field = mutation(role_create, permission=platform_admin())
