from __future__ import annotations

import strawberry

from core.errors import ServiceError
from core.services import google_sign_in
from core.services.google_sign_in import GoogleSignInErrorCode
from graphql_api.accounts.mutations.common import GoogleSignInError
from graphql_api.context import Info
from graphql_api.errors import Payload, mutation
from graphql_api.permissions import user_only


@strawberry.input(description="Where Google should send the browser back after linking.")
class GoogleIdentityLinkStartInput:
    redirect_url: str = strawberry.field(
        description="One of the platform's allowed dashboard URLs "
        "(GOOGLE_SIGNIN_ALLOWED_REDIRECT_URLS, exact match)."
    )


@strawberry.type(description="Where to send the browser to link a Google account.")
class GoogleIdentityLinkStartPayload(Payload[GoogleSignInError]):
    authorization_url: str | None = strawberry.field(
        default=None,
        description="Send the browser here (Google's account chooser); it comes back to "
        "`redirectUrl` with `linked=google`, or with `error=<code>`.",
    )


async def google_identity_link_start(
    info: Info, input: GoogleIdentityLinkStartInput
) -> GoogleIdentityLinkStartPayload:
    """Begin linking a Google account to yours. The link works once, for you, in the browser
    that sent this request (it gets a cookie), for 10 minutes: send it over HTTP with
    credentials (`fetch(..., {credentials: "include"})` from another origin)."""
    user = info.context.require_user()
    response = info.context.response
    if response is None:  # a WebSocket: no response to carry the cookie
        raise ServiceError.single(
            GoogleSignInErrorCode.BROWSER_REQUIRED,
            "Start linking over HTTP, from the browser that will open the link.",
        )
    started = await google_sign_in.start(
        redirect_url=input.redirect_url, settings=info.context.settings, link_user=user
    )
    cookie = started.browser_cookie
    response.set_cookie(
        cookie.name,
        cookie.value,
        max_age=cookie.max_age,
        path=cookie.path,
        secure=info.context.settings.is_production,
        httponly=True,
        samesite="lax",
    )
    return GoogleIdentityLinkStartPayload(authorization_url=started.authorization_url)


field = mutation(google_identity_link_start, permission=user_only())
