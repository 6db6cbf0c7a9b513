from __future__ import annotations

from core.services import accounts
from graphql_api.accounts.mutations.common import AccountActionPayload
from graphql_api.context import Info
from graphql_api.errors import mutation
from graphql_api.permissions import user_only


async def email_verification_request(info: Info) -> AccountActionPayload:
    """Mail a new email-verification link to the signed-in user."""
    user = info.context.require_user()
    await accounts.request_email_verification(user=user, settings=info.context.settings)
    return AccountActionPayload(ok=True)


field = mutation(email_verification_request, permission=user_only())
