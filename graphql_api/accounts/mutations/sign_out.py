from __future__ import annotations

import strawberry

from core.services import sessions
from graphql_api.accounts.mutations.common import AccountActionPayload
from graphql_api.context import Info
from graphql_api.errors import mutation
from graphql_api.permissions import user_only


@strawberry.input(
    description="Which sessions to end; omitted, or with neither field set: the current one."
)
class SignOutInput:
    refresh_token: str | None = strawberry.field(
        default=None, description="End the session of this refresh token (default: this session)."
    )
    everywhere: bool = strawberry.field(default=False, description="End every session you have.")


async def sign_out(info: Info, input: SignOutInput | None = None) -> AccountActionPayload:
    """End a session: its refresh and access tokens stop working at once."""
    principal = info.context.principal
    user = info.context.require_user()
    input = input or SignOutInput()
    bus = info.context.bus
    if input.everywhere:
        await sessions.revoke_all(user_id=user.id, reason="signed_out_everywhere", bus=bus)
    elif input.refresh_token:
        await sessions.revoke_by_refresh_token(
            refresh_token=input.refresh_token, user_id=user.id, bus=bus
        )
    elif principal.session_id is not None:
        await sessions.revoke(session_id=principal.session_id, reason="signed_out", bus=bus)
    return AccountActionPayload(ok=True)


field = mutation(sign_out, permission=user_only())
