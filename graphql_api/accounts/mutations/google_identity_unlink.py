from __future__ import annotations

import strawberry

from core.errors import NotFound
from core.services import sign_in_methods
from graphql_api.accounts.mutations.common import GoogleSignInError
from graphql_api.accounts.types import UserType
from graphql_api.context import Info
from graphql_api.errors import NotFoundError, Payload, mutation
from graphql_api.permissions import user_only


@strawberry.input(description="The Google account to unlink from yours.")
class GoogleIdentityUnlinkInput:
    subject: str = strawberry.field(
        description="Its `subject`, from `me { googleIdentities { subject } }`."
    )


@strawberry.type(description="Your account, without the Google account.")
class GoogleIdentityUnlinkPayload(Payload[GoogleSignInError]):
    user: UserType | None = strawberry.field(default=None, description="You.")


async def google_identity_unlink(
    info: Info, input: GoogleIdentityUnlinkInput
) -> GoogleIdentityUnlinkPayload:
    """Unlink a Google account from yours: it no longer signs you in. Refused
    (LAST_SIGN_IN_METHOD) when it would leave you no way to sign in; NOT_FOUND when it is not
    linked to you."""
    user = info.context.require_user()
    try:
        await sign_in_methods.unlink_google(user=user, subject=input.subject)
    except NotFound as error:
        raise NotFoundError("Google identity") from error
    return GoogleIdentityUnlinkPayload(user=UserType.from_model(user))


field = mutation(google_identity_unlink, permission=user_only())
