from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

from core.access import Principal
from graphql_api.context import Info
from graphql_api.errors import Forbidden
from orm.models import User

if TYPE_CHECKING:
    from graphql_api.organizations.types import MembershipType


@strawberry.type(name="User", description="A person with an account.")
class UserType(relay.Node):
    id: relay.NodeID[str]
    email: str
    full_name: str
    email_verified_at: datetime | None
    is_platform_admin: bool
    created_at: datetime
    model: strawberry.Private[User]

    @strawberry.field
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @strawberry.field(description="Your organizations and your role in each (only on yourself).")
    async def memberships(
        self, info: Info
    ) -> list[Annotated[MembershipType, strawberry.lazy("graphql_api.organizations.types")]] | None:
        from graphql_api.organizations.types import MembershipType

        if not _is_self_or_admin(info.context.principal, self.model):
            raise Forbidden("Only you can see which organizations you belong to.")
        rows = await info.context.loaders.memberships_by_user.load(self.model.id)
        return [MembershipType.from_model(row) for row in rows]

    @classmethod
    def from_model(cls, user: User) -> UserType:
        return cls(
            id=str(user.id),
            email=user.email,
            full_name=user.full_name,
            email_verified_at=user.email_verified_at,
            is_platform_admin=user.is_platform_admin,
            created_at=user.created_at,
            model=user,
        )


def _is_self_or_admin(principal: Principal, user: User) -> bool:
    return principal.user is not None and (
        principal.user.id == user.id or principal.user.is_platform_admin
    )
