from __future__ import annotations

import strawberry

from core.services import accounts
from graphql_api.accounts.mutations.common import AccountActionPayload
from graphql_api.context import Info
from graphql_api.errors import mutation
from graphql_api.permissions import anyone


@strawberry.input(description="Whose password to reset.")
class PasswordResetRequestInput:
    email: str = strawberry.field(description="The account's address; the link is mailed there.")


async def password_reset_request(
    info: Info, input: PasswordResetRequestInput
) -> AccountActionPayload:
    """Mail a password-reset link; the answer is the same whether the account exists or not."""
    await accounts.request_password_reset(email=input.email, settings=info.context.settings)
    return AccountActionPayload(ok=True)


field = mutation(password_reset_request, permission=anyone())
