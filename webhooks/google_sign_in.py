"""GET /auth/google/start and GET /auth/google/callback: sign in with Google.

Both answer 404 while sign-in with Google is not configured (GOOGLE_SIGNIN_CLIENT_ID), like
any path the API does not serve. The start sends the browser to Google with a cookie binding
the flow to it; the callback sends it back to the dashboard URL the flow started with, with
a one-time `code` (for authCodeExchange), `linked=google`, or `error=<code>`, and the
dashboard's own `state` when the start had one; never a token.
A callback whose state is not genuine, alive, unspent and from this browser answers 400 and
sends the browser nowhere.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response

from core.errors import ServiceError
from core.security import oauth_flow
from core.services import google_sign_in
from core.services.google_identities import SignInRefusal
from core.services.google_sign_in import GoogleSignInErrorCode
from core.settings import Settings

log = logging.getLogger(__name__)

_MAX_REDIRECT_LENGTH = 2048
_MAX_STATE_LENGTH = 4096
# Nothing on the way (browser, proxy) keeps a redirect that carries a one-time code.
_NO_STORE = {"cache-control": "no-store"}


def _not_found() -> Response:
    # What Starlette answers for a path it does not serve.
    return PlainTextResponse("Not Found", status_code=404)


def with_query(url: str, params: dict[str, str]) -> str:
    """`url` with `params` added to its query (the fragment stays last)."""
    parts = urlsplit(url)
    query = [*parse_qsl(parts.query, keep_blank_values=True), *params.items()]
    return urlunsplit(parts._replace(query=urlencode(query)))


def google_sign_in_start(settings: Settings) -> Callable[[Request], Awaitable[Response]]:
    async def start(request: Request) -> Response:
        if not google_sign_in.enabled(settings):
            return _not_found()
        redirect_url = request.query_params.get("redirect", "")
        if not redirect_url or len(redirect_url) > _MAX_REDIRECT_LENGTH:
            return PlainTextResponse("Missing or invalid `redirect`.", status_code=400)
        client_state = request.query_params.get("state") or None
        if client_state is not None and len(client_state) > google_sign_in.MAX_CLIENT_STATE_LENGTH:
            return PlainTextResponse("`state` is too long.", status_code=400)
        try:
            started = await google_sign_in.start(
                redirect_url=redirect_url, settings=settings, client_state=client_state
            )
        except ServiceError as error:
            code = error.errors[0].code
            if code is GoogleSignInErrorCode.GOOGLE_UNAVAILABLE:
                # The redirect URL is an allowed one (checked before Google was asked).
                failure = {"error": SignInRefusal.GOOGLE_UNAVAILABLE.value}
                if client_state is not None:
                    failure["state"] = client_state
                target = with_query(redirect_url, failure)
                return RedirectResponse(target, status_code=303, headers=_NO_STORE)
            if code is GoogleSignInErrorCode.REDIRECT_NOT_ALLOWED:
                return PlainTextResponse(
                    "This `redirect` is not an address this platform sends you back to.",
                    status_code=400,
                )
            return _not_found()
        response = RedirectResponse(started.authorization_url, status_code=303, headers=_NO_STORE)
        cookie = started.browser_cookie
        response.set_cookie(
            cookie.name,
            cookie.value,
            max_age=cookie.max_age,
            path=cookie.path,
            secure=settings.is_production,
            httponly=True,
            samesite="lax",
        )
        return response

    return start


def google_sign_in_callback(settings: Settings) -> Callable[[Request], Awaitable[Response]]:
    async def callback(request: Request) -> Response:
        if not google_sign_in.enabled(settings):
            return _not_found()
        state = request.query_params.get("state")
        if not state or len(state) > _MAX_STATE_LENGTH:
            return PlainTextResponse("Missing or invalid state.", status_code=400)
        try:
            completed = await google_sign_in.complete(
                state=state,
                code=request.query_params.get("code"),
                error=request.query_params.get("error"),
                browser_bindings=oauth_flow.browser_bindings(request.cookies),
                settings=settings,
            )
        except oauth_flow.InvalidState as failure:
            log.warning("google sign-in callback refused", extra={"reason": str(failure)})
            return PlainTextResponse(
                "This sign-in link is invalid, expired, already used, or was opened in another "
                "browser. Start again from the dashboard.",
                status_code=400,
            )
        if completed.code is not None:
            outcome = {"code": completed.code}
        elif completed.linked:
            outcome = {"linked": "google"}
        else:
            refusal = completed.error or SignInRefusal.GOOGLE_UNAVAILABLE
            outcome = {"error": refusal.value}
        if completed.client_state is not None:
            outcome["state"] = completed.client_state
        return RedirectResponse(
            with_query(completed.redirect_url, outcome), status_code=303, headers=_NO_STORE
        )

    return callback
