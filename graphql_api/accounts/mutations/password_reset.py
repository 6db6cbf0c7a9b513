from __future__ import annotations

import strawberry

from core.errors import ServiceError
from core.services import accounts
from graphql_api.accounts.mutations.common import AccountActionPayload, AccountError
from graphql_api.context import Info
from graphql_api.errors import payload_errors


@strawberry.input
class PasswordResetRequestInput:
    email: str


async def password_reset_request(
    info: Info, input: PasswordResetRequestInput
) -> AccountActionPayload:
    """Mail a password-reset link; the answer is the same whether the account exists or not."""
    await accounts.request_password_reset(email=input.email, settings=info.context.settings)
    return AccountActionPayload(ok=True)


@strawberry.input
class PasswordResetInput:
    token: str
    new_password: str


async def password_reset(info: Info, input: PasswordResetInput) -> AccountActionPayload:
    """Set a new password with the mailed token; every session is signed out."""
    try:
        await accounts.reset_password(
            token=input.token,
            new_password=input.new_password,
            settings=info.context.settings,
            bus=info.context.bus,
        )
    except ServiceError as error:
        return AccountActionPayload(errors=payload_errors(AccountError, error.errors))
    return AccountActionPayload(ok=True)
