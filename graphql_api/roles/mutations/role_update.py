from __future__ import annotations

from typing import Any

import strawberry

from core.services import roles
from graphql_api.context import Info
from graphql_api.errors import mutation
from graphql_api.permissions import platform_admin
from graphql_api.roles.mutations.common import RolePayload, role_named
from graphql_api.roles.types import RoleType


@strawberry.input(description="Omitted fields stay as they are. The key never changes.")
class RoleUpdateInput:
    id: strawberry.ID = strawberry.field(description="The role's global id.")
    name: str | None = strawberry.field(
        default=strawberry.UNSET, description="A display name, 1 to 100 characters."
    )
    description: str | None = strawberry.field(
        default=strawberry.UNSET, description="What the role is for."
    )
    permissions: list[str] | None = strawberry.field(
        default=strawberry.UNSET,
        description="Exactly the organization permission strings the role holds from now on.",
    )


def _given(value: Any) -> Any:
    """None for an omitted field (null, for these fields, means the same)."""
    return None if value is strawberry.UNSET else value


async def role_update(info: Info, input: RoleUpdateInput) -> RolePayload:
    """Reword or re-permission a custom role; built-in roles cannot be changed."""
    role = await role_named(info, input.id)
    role = await roles.update(
        role=role,
        name=_given(input.name),
        description=_given(input.description),
        permissions=_given(input.permissions),
    )
    return RolePayload(role=RoleType.from_model(role))


field = mutation(role_update, permission=platform_admin())
