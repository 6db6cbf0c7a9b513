from __future__ import annotations

import strawberry

from core.errors import FieldError, ServiceError
from core.services import sessions
from core.services.accounts import AccountErrorCode
from graphql_api.accounts.mutations.common import AuthPayload
from graphql_api.context import Info
from graphql_api.errors import mutation
from graphql_api.permissions import anyone


@strawberry.input(description="The refresh token to exchange.")
class TokenRefreshInput:
    refresh_token: str = strawberry.field(
        description="The latest `refreshToken` of the session; it is retired by the exchange."
    )


async def token_refresh(info: Info, input: TokenRefreshInput) -> AuthPayload:
    """Exchange a refresh token for a new access token and a new refresh token."""
    try:
        issued = await sessions.rotate(
            refresh_token=input.refresh_token,
            codec=info.context.codec,
            settings=info.context.settings,
            bus=info.context.bus,
        )
    except ServiceError as error:
        # One error vocabulary for the account payloads.
        raise ServiceError(
            *(FieldError(e.field, e.message, AccountErrorCode.INVALID_TOKEN) for e in error.errors)
        ) from error
    return AuthPayload.from_issued(issued)


field = mutation(token_refresh, permission=anyone())
