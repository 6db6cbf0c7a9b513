from __future__ import annotations

from typing import Any

import strawberry

from core.errors import ServiceError
from core.services import roles
from graphql_api.context import Info
from graphql_api.errors import payload_errors
from graphql_api.roles.mutations.common import RoleError, RolePayload, role_named
from graphql_api.roles.types import RoleType


@strawberry.input(description="Omitted fields stay as they are. The key never changes.")
class RoleUpdateInput:
    id: strawberry.ID
    name: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    permissions: list[str] | None = strawberry.field(
        default=strawberry.UNSET,
        description="Exactly the organization permission strings the role holds from now on.",
    )


def _given(value: Any) -> Any:
    """None for an omitted field (null, for these fields, means the same)."""
    return None if value is strawberry.UNSET else value


async def role_update(info: Info, input: RoleUpdateInput) -> RolePayload:
    """Reword or re-permission a custom role (platform admins only); built-in roles stay."""
    role = await role_named(info, input.id)
    try:
        role = await roles.update(
            role=role,
            name=_given(input.name),
            description=_given(input.description),
            permissions=_given(input.permissions),
        )
    except ServiceError as error:
        return RolePayload(errors=payload_errors(RoleError, error.errors))
    return RolePayload(role=RoleType.from_model(role))
