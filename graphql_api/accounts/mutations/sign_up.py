from __future__ import annotations

import strawberry

from core.errors import ServiceError
from core.services import accounts
from graphql_api.accounts.mutations.common import AccountError, AuthPayload
from graphql_api.context import Info
from graphql_api.errors import payload_errors


@strawberry.input
class SignUpInput:
    email: str
    password: str
    full_name: str


async def sign_up(info: Info, input: SignUpInput) -> AuthPayload:
    """Create an account and sign in; a verification link is mailed."""
    context = info.context
    try:
        issued = await accounts.sign_up(
            email=input.email,
            password=input.password,
            full_name=input.full_name,
            codec=context.codec,
            settings=context.settings,
            client_address=context.client_address,
            user_agent=context.user_agent,
        )
    except ServiceError as error:
        return AuthPayload(errors=payload_errors(AccountError, error.errors))
    return AuthPayload.from_issued(issued)
