from __future__ import annotations

import strawberry

from core.services import accounts
from graphql_api.accounts.mutations.common import AccountActionPayload
from graphql_api.context import Info
from graphql_api.errors import mutation
from graphql_api.permissions import anyone


@strawberry.input(description="The mailed reset token and the new password.")
class PasswordResetInput:
    token: str = strawberry.field(description="The `token` parameter of the mailed reset link.")
    new_password: str = strawberry.field(
        description="10 to 128 characters, at least 4 different ones, not the email address."
    )


async def password_reset(info: Info, input: PasswordResetInput) -> AccountActionPayload:
    """Set a new password with the mailed token; every session is signed out."""
    await accounts.reset_password(
        token=input.token,
        new_password=input.new_password,
        settings=info.context.settings,
        bus=info.context.bus,
    )
    return AccountActionPayload(ok=True)


field = mutation(password_reset, permission=anyone())
