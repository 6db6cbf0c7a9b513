from __future__ import annotations

from datetime import datetime

import strawberry

from core.services.accounts import AccountErrorCode
from core.services.sessions import IssuedTokens
from graphql_api.accounts.types import UserType
from graphql_api.errors import error_type

AccountError = error_type("AccountError", AccountErrorCode)


@strawberry.type(description="A signed-in session: keep the refresh token secret.")
class AuthPayload:
    user: UserType | None = None
    access_token: str | None = strawberry.field(
        default=None, description="Send as `Authorization: Bearer <token>`; short-lived."
    )
    access_token_expires_at: datetime | None = None
    refresh_token: str | None = strawberry.field(
        default=None, description="Exchange with tokenRefresh; single use, rotates."
    )
    refresh_token_expires_at: datetime | None = None
    errors: list[AccountError] = strawberry.field(default_factory=list)  # type: ignore[valid-type]

    @classmethod
    def from_issued(cls, issued: IssuedTokens) -> AuthPayload:
        return cls(
            user=UserType.from_model(issued.user),
            access_token=issued.access_token,
            access_token_expires_at=issued.access_token_expires_at,
            refresh_token=issued.refresh_token,
            refresh_token_expires_at=issued.refresh_token_expires_at,
        )


@strawberry.type(description="The outcome of an action that returns nothing else.")
class AccountActionPayload:
    ok: bool = False
    errors: list[AccountError] = strawberry.field(default_factory=list)  # type: ignore[valid-type]
