from __future__ import annotations

import strawberry

from core.errors import ServiceError
from core.services import accounts
from graphql_api.accounts.mutations.common import AccountActionPayload, AccountError
from graphql_api.context import Info
from graphql_api.errors import payload_errors


@strawberry.input
class SignUpInput:
    email: str
    password: str
    full_name: str


async def sign_up(info: Info, input: SignUpInput) -> AccountActionPayload:
    """Create an account and mail a link to verify its address; then sign in with signIn.

    The answer is the same whether or not the address already has an account (its owner is
    mailed instead), so it tells nobody which addresses have one.
    """
    try:
        await accounts.sign_up(
            email=input.email,
            password=input.password,
            full_name=input.full_name,
            settings=info.context.settings,
        )
    except ServiceError as error:
        return AccountActionPayload(errors=payload_errors(AccountError, error.errors))
    return AccountActionPayload(ok=True)
