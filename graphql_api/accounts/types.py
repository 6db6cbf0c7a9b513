from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from core.access import Principal
from core.services import sign_in_methods
from graphql_api.context import Info
from graphql_api.errors import Forbidden
from graphql_api.node import Node, NodeKind
from orm.models import GoogleIdentity, User

if TYPE_CHECKING:
    from graphql_api.organizations.types import MembershipType


@strawberry.type(name="User", description="A person with an account.")
class UserType(Node):
    node_kind = NodeKind(
        "user", None, readable_by=lambda principal, row: _is_self_or_admin(principal, row)
    )

    email: str = strawberry.field(description="The address the person signs in with, lower-case.")
    full_name: str = strawberry.field(description="The person's name, as they gave it.")
    email_verified_at: datetime | None = strawberry.field(
        description="When the address was confirmed through the mailed link; null until then."
    )
    is_platform_admin: bool = strawberry.field(
        description="Runs the platform: every permission in every organization."
    )
    created_at: datetime = strawberry.field(description="When the account was created.")
    model: strawberry.Private[User]

    @strawberry.field(
        description="Whether the address is confirmed. Until it is, the account may create "
        "only one organization (by default) and its organizations get no welcome credits."
    )
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @strawberry.field(description="Your organizations and your role in each (only on yourself).")
    async def memberships(
        self, info: Info
    ) -> list[Annotated[MembershipType, strawberry.lazy("graphql_api.organizations.types")]] | None:
        from graphql_api.organizations.types import MembershipType, preload_membership_fields

        if not _is_self_or_admin(info.context.principal, self.model):
            raise Forbidden("Only you can see which organizations you belong to.")
        rows = await info.context.loaders.memberships_by_user.load(self.model.id)
        await preload_membership_fields(info, rows)
        return [MembershipType.from_model(row) for row in rows]

    @strawberry.field(
        description="Whether the account has a password (false: created by signing in with "
        "Google; `passwordSet` gives it one). Only on yourself."
    )
    def has_password(self, info: Info) -> bool | None:
        if not _is_self_or_admin(info.context.principal, self.model):
            raise Forbidden("Only you can see how you sign in.")
        return sign_in_methods.has_password(self.model)

    @strawberry.field(
        description="The Google accounts you sign in with, oldest first. Only on yourself."
    )
    async def google_identities(self, info: Info) -> list[GoogleIdentityType] | None:
        if not _is_self_or_admin(info.context.principal, self.model):
            raise Forbidden("Only you can see how you sign in.")
        rows = await info.context.loaders.google_identities_by_user.load(self.model.id)
        return [GoogleIdentityType.from_model(row) for row in rows]

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


@strawberry.type(
    name="GoogleIdentity",
    description="A Google account linked to a user: signing in with it signs in the user.",
)
class GoogleIdentityType:
    subject: str = strawberry.field(
        description="Google's stable id of the account (the ID token's `sub`); "
        "`googleIdentityUnlink` takes it."
    )
    email: str = strawberry.field(
        description="The account's address, as Google last vouched for it (it may differ from "
        "the user's own)."
    )
    linked_at: datetime = strawberry.field(description="When it was linked.")
    last_sign_in_at: datetime | None = strawberry.field(
        description="When it last signed in; null if never (linked, not used yet)."
    )

    @classmethod
    def from_model(cls, row: GoogleIdentity) -> GoogleIdentityType:
        return cls(
            subject=row.subject,
            email=row.email,
            linked_at=row.created_at,
            last_sign_in_at=row.last_sign_in_at,
        )


def _is_self_or_admin(principal: Principal, user: User) -> bool:
    return principal.user is not None and (
        principal.user.id == user.id or principal.user.is_platform_admin
    )
