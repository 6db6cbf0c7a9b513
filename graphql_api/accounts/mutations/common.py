from __future__ import annotations

from datetime import datetime

import strawberry

from core.services.accounts import AccountErrorCode
from core.services.google_sign_in import GoogleSignInErrorCode
from core.services.sessions import IssuedTokens
from graphql_api.accounts.types import UserType
from graphql_api.descriptions import error_code_enum
from graphql_api.errors import CODE_DESCRIPTION, PAYLOAD_ERROR_DESCRIPTION, Payload, PayloadError

error_code_enum(
    AccountErrorCode,
    name="AccountErrorCode",
    description="Why an account mutation (sign-up, sign-in, tokens, email, password) refused "
    "its input.",
)


@strawberry.type(description=PAYLOAD_ERROR_DESCRIPTION)
class AccountError(PayloadError):
    code: AccountErrorCode = strawberry.field(description=CODE_DESCRIPTION)


@strawberry.type(description="A signed-in session: keep the refresh token secret.")
class AuthPayload(Payload[AccountError]):
    user: UserType | None = strawberry.field(default=None, description="Who is signed in.")
    access_token: str | None = strawberry.field(
        default=None, description="Send as `Authorization: Bearer <token>`; short-lived."
    )
    access_token_expires_at: datetime | None = strawberry.field(
        default=None,
        description="When `accessToken` stops working (15 minutes after it was issued, by "
        "default); refresh it before then.",
    )
    refresh_token: str | None = strawberry.field(
        default=None, description="Exchange with tokenRefresh; single use, rotates."
    )
    refresh_token_expires_at: datetime | None = strawberry.field(
        default=None,
        description="When `refreshToken` stops working (30 days by default); after it, sign in "
        "again.",
    )

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
class AccountActionPayload(Payload[AccountError]):
    ok: bool = strawberry.field(
        default=False,
        description="True when the action was done or, for a request whose answer must not "
        "tell whether an account exists, accepted; false when `errors` says why not.",
    )


error_code_enum(
    GoogleSignInErrorCode,
    name="GoogleSignInErrorCode",
    description="Why a Google sign-in mutation (linking, unlinking) refused its input.",
)


@strawberry.type(description=PAYLOAD_ERROR_DESCRIPTION)
class GoogleSignInError(PayloadError):
    code: GoogleSignInErrorCode = strawberry.field(description=CODE_DESCRIPTION)
