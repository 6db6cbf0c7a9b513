from __future__ import annotations

import strawberry

from core.services import sign_in_methods
from graphql_api.accounts.mutations.common import AccountError
from graphql_api.accounts.types import UserType
from graphql_api.context import Info
from graphql_api.errors import Payload, mutation
from graphql_api.permissions import user_only


@strawberry.input(description="The password to give an account that has none.")
class PasswordSetInput:
    password: str = strawberry.field(
        description="The new password (10 to 128 characters, at least 4 different ones, not "
        "the email address)."
    )


@strawberry.type(description="The account, now with a password.")
class PasswordSetPayload(Payload[AccountError]):
    user: UserType | None = strawberry.field(
        default=None, description="You, with `hasPassword` true."
    )


async def password_set(info: Info, input: PasswordSetInput) -> PasswordSetPayload:
    """Give your account a password when it has none (it was created by signing in with
    Google); needs a session signed in within the last 10 minutes. A password already set is
    changed through passwordResetRequest."""
    user = info.context.require_user()
    updated = await sign_in_methods.set_password(
        user=user, session_id=info.context.principal.session_id, password=input.password
    )
    return PasswordSetPayload(user=UserType.from_model(updated))


field = mutation(password_set, permission=user_only())
