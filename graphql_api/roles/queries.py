from __future__ import annotations

import strawberry

from core.services import roles
from graphql_api.permissions import authenticated
from graphql_api.roles.types import RoleType


@strawberry.type
class RoleQueries:
    @strawberry.field(description="Every role, built-in first.", extensions=authenticated())
    async def roles(self) -> list[RoleType]:
        return [RoleType.from_model(role) for role in await roles.get_all()]
