from __future__ import annotations

import strawberry

from core.services import google_sign_in
from graphql_api.accounts.mutations.common import AuthPayload
from graphql_api.context import Info
from graphql_api.errors import mutation
from graphql_api.permissions import anyone


@strawberry.input(description="The one-time code the Google sign-in redirect brought back.")
class AuthCodeExchangeInput:
    code: str = strawberry.field(
        description="The `code` query parameter of the redirect to your dashboard; it works "
        "once, within 60 seconds."
    )


async def auth_code_exchange(info: Info, input: AuthCodeExchangeInput) -> AuthPayload:
    """Finish a sign-in with Google: swap the redirect's one-time code for the session's
    access and refresh tokens (the same as signIn's)."""
    context = info.context
    issued = await google_sign_in.exchange(
        code=input.code,
        codec=context.codec,
        settings=context.settings,
        client_address=context.client_address,
        user_agent=context.user_agent,
    )
    return AuthPayload.from_issued(issued)


field = mutation(auth_code_exchange, permission=anyone())
