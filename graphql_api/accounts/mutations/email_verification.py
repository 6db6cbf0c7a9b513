from __future__ import annotations

import strawberry

from core.errors import ServiceError
from core.services import accounts
from graphql_api.accounts.mutations.common import AccountActionPayload, AccountError
from graphql_api.accounts.types import UserType
from graphql_api.context import Info
from graphql_api.errors import payload_errors


async def email_verification_request(info: Info) -> AccountActionPayload:
    """Mail a new email-verification link to the signed-in user."""
    user = info.context.require_user()
    try:
        await accounts.request_email_verification(user=user, settings=info.context.settings)
    except ServiceError as error:
        return AccountActionPayload(errors=payload_errors(AccountError, error.errors))
    return AccountActionPayload(ok=True)


@strawberry.input
class EmailVerifyInput:
    token: str


@strawberry.type
class EmailVerifyPayload:
    user: UserType | None = None
    errors: list[AccountError] = strawberry.field(default_factory=list)  # type: ignore[valid-type]


async def email_verify(info: Info, input: EmailVerifyInput) -> EmailVerifyPayload:
    """Confirm an email address with the token from the mailed link."""
    try:
        user = await accounts.verify_email(token=input.token, settings=info.context.settings)
    except ServiceError as error:
        return EmailVerifyPayload(errors=payload_errors(AccountError, error.errors))
    return EmailVerifyPayload(user=UserType.from_model(user))
