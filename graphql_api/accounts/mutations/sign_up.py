from __future__ import annotations

import strawberry

from core.services import accounts
from graphql_api.accounts.mutations.common import AccountActionPayload
from graphql_api.context import Info
from graphql_api.errors import mutation
from graphql_api.permissions import anyone


@strawberry.input(description="A new account.")
class SignUpInput:
    email: str = strawberry.field(
        description="The address to sign in with; a link to verify it is mailed there."
    )
    password: str = strawberry.field(
        description="10 to 128 characters, at least 4 different ones, not the email address."
    )
    full_name: str = strawberry.field(description="The person's name, 1 to 200 characters.")


async def sign_up(info: Info, input: SignUpInput) -> AccountActionPayload:
    """Create an account and mail a link to verify its address; then sign in with signIn.
    The answer is the same whether or not the address already has an account (its owner is
    mailed instead), so it tells nobody which addresses have one."""
    await accounts.sign_up(
        email=input.email,
        password=input.password,
        full_name=input.full_name,
        settings=info.context.settings,
    )
    return AccountActionPayload(ok=True)


field = mutation(sign_up, permission=anyone())
