from __future__ import annotations

import strawberry

from core.services import accounts
from graphql_api.accounts.mutations.common import AccountError
from graphql_api.accounts.types import UserType
from graphql_api.context import Info
from graphql_api.errors import Payload, mutation
from graphql_api.permissions import anyone


@strawberry.input(description="The token of an email-verification link.")
class EmailVerifyInput:
    token: str = strawberry.field(description="The `token` parameter of the mailed link.")


@strawberry.type(description="The account whose address was verified.")
class EmailVerifyPayload(Payload[AccountError]):
    user: UserType | None = strawberry.field(
        default=None, description="The account, now with `emailVerified` true."
    )


async def email_verify(info: Info, input: EmailVerifyInput) -> EmailVerifyPayload:
    """Confirm an email address with the token from the mailed link."""
    user = await accounts.verify_email(token=input.token, settings=info.context.settings)
    return EmailVerifyPayload(user=UserType.from_model(user))


field = mutation(email_verify, permission=anyone())
