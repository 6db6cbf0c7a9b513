from __future__ import annotations

import strawberry

from core.services import accounts
from graphql_api.accounts.mutations.common import AuthPayload
from graphql_api.context import Info
from graphql_api.errors import mutation
from graphql_api.permissions import anyone


@strawberry.input(description="The credentials of an account.")
class SignInInput:
    email: str = strawberry.field(description="The address the account signs in with.")
    password: str = strawberry.field(description="The account's password.")


async def sign_in(info: Info, input: SignInInput) -> AuthPayload:
    """Sign in with email and password."""
    context = info.context
    issued = await accounts.sign_in(
        email=input.email,
        password=input.password,
        codec=context.codec,
        settings=context.settings,
        client_address=context.client_address,
        user_agent=context.user_agent,
    )
    return AuthPayload.from_issued(issued)


field = mutation(sign_in, permission=anyone())
