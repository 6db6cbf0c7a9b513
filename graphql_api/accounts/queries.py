from __future__ import annotations

import strawberry

from graphql_api.accounts.types import UserType
from graphql_api.context import Info
from graphql_api.permissions import user_only


@strawberry.type
class AccountQueries:
    @strawberry.field(
        description="The signed-in user; null, with FORBIDDEN, for an API key (it acts for an "
        "organization, not a person).",
        extensions=user_only(),
    )
    def me(self, info: Info) -> UserType | None:
        return UserType.from_model(info.context.require_user())
