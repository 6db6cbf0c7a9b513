from __future__ import annotations

import strawberry

from core.errors import ServiceError
from core.services import accounts
from graphql_api.accounts.mutations.common import AccountError, AuthPayload
from graphql_api.context import Info
from graphql_api.errors import payload_errors


@strawberry.input
class SignInInput:
    email: str
    password: str


async def sign_in(info: Info, input: SignInInput) -> AuthPayload:
    """Sign in with email and password."""
    context = info.context
    try:
        issued = await accounts.sign_in(
            email=input.email,
            password=input.password,
            codec=context.codec,
            settings=context.settings,
            client_address=context.client_address,
            user_agent=context.user_agent,
        )
    except ServiceError as error:
        return AuthPayload(errors=payload_errors(AccountError, error.errors))
    return AuthPayload.from_issued(issued)
