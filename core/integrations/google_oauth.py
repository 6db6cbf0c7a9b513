"""Google OAuth 2.0 through Authlib's httpx client: authorize, exchange, refresh, revoke.

Endpoints come from settings so tests can point them at a fake Google server.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import httpx

from core.settings import Settings

if TYPE_CHECKING:
    from authlib.integrations.base_client import OAuthError
    from authlib.integrations.httpx_client import AsyncOAuth2Client

# Calendar events and free/busy, plus the account's email to show who is connected.
CALENDAR_SCOPES = (
    "openid",
    "email",
    "https://www.googleapis.com/auth/calendar.events",
    "https://www.googleapis.com/auth/calendar.freebusy",
)
_TIMEOUT = httpx.Timeout(10.0)
# Authlib talks through `httpx2` when it is installed (it is, with the dev extras) and
# through `httpx` otherwise: its client takes a plain number as timeout, and its
# transport errors come from whichever of the two it uses.
AUTHLIB_TIMEOUT = 10.0
try:
    import httpx2

    HTTP_ERRORS: tuple[type[Exception], ...] = (httpx.HTTPError, httpx2.HTTPError)
except ImportError:  # pragma: no cover - production installs without the dev extras
    HTTP_ERRORS = (httpx.HTTPError,)

# What the token endpoint may fail with that may pass; ValueError: an answer that is not JSON.
TOKEN_ENDPOINT_ERRORS: tuple[type[Exception], ...] = (*HTTP_ERRORS, ValueError)


class GoogleOAuthNotConfigured(Exception):
    pass


class GrantRevoked(Exception):
    """Google refused the refresh token: the owner must connect the calendar again."""


class GoogleUnavailable(Exception):
    """Google could not be reached or answered with an error that may pass."""


def callback_url(settings: Settings) -> str:
    return f"{settings.public_base_url.rstrip('/')}/oauth/google/callback"


def oauth_error() -> type[OAuthError]:
    # Authlib (~25 MB with its dependencies) is loaded when a tool first uses OAuth, not
    # when the API process starts.
    from authlib.integrations.base_client import OAuthError

    return OAuthError


def _client(settings: Settings, **kwargs: Any) -> AsyncOAuth2Client:
    from authlib.integrations.httpx_client import AsyncOAuth2Client

    if not settings.google_client_id or settings.google_client_secret is None:
        raise GoogleOAuthNotConfigured("GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET are not set")
    return AsyncOAuth2Client(
        client_id=settings.google_client_id,
        client_secret=settings.google_client_secret.get_secret_value(),
        redirect_uri=callback_url(settings),
        timeout=AUTHLIB_TIMEOUT,
        **kwargs,
    )


async def authorization_url(*, settings: Settings, state: str, code_verifier: str) -> str:
    """Where to send the browser; offline access so the worker can refresh tokens."""
    # Authlib adds the PKCE challenge only when the client itself is built with the method;
    # passed to create_authorization_url, the method went out alone, with no challenge.
    async with _client(
        settings, scope=" ".join(CALENDAR_SCOPES), code_challenge_method="S256"
    ) as client:
        url, _ = client.create_authorization_url(
            settings.google_authorize_url,
            state=state,
            code_verifier=code_verifier,
            access_type="offline",
            # Ask again for consent so Google returns a refresh token on every connection.
            prompt="consent",
            include_granted_scopes="true",
        )
    return url


async def exchange_code(*, settings: Settings, code: str, code_verifier: str) -> dict[str, Any]:
    """Trade the authorization code for tokens; returns them with an absolute `expires_at`."""
    try:
        async with _client(settings) as client:
            token = await client.fetch_token(
                settings.google_token_url,
                code=code,
                code_verifier=code_verifier,
                grant_type="authorization_code",
            )
    except oauth_error() as error:
        raise GrantRevoked(error.error or "authorization code refused") from None
    except TOKEN_ENDPOINT_ERRORS as error:
        raise GoogleUnavailable(type(error).__name__) from None
    return normalize_token(dict(token))


async def refresh(*, settings: Settings, refresh_token: str) -> dict[str, Any]:
    """A fresh access token; Google may omit the refresh token, so the old one is kept."""
    try:
        async with _client(settings) as client:
            token = await client.refresh_token(
                settings.google_token_url, refresh_token=refresh_token
            )
    except oauth_error() as error:
        if error.error in ("invalid_grant", "unauthorized_client", "invalid_client"):
            raise GrantRevoked(error.error) from None
        raise GoogleUnavailable(error.error or "token endpoint error") from None
    except TOKEN_ENDPOINT_ERRORS as error:
        raise GoogleUnavailable(type(error).__name__) from None
    token = normalize_token(dict(token))
    token.setdefault("refresh_token", refresh_token)
    return token


async def account_email(*, settings: Settings, access_token: str) -> str | None:
    """The connected account's email, to show who the calendar belongs to (None if unknown)."""
    try:
        async with httpx.AsyncClient(timeout=_TIMEOUT) as http:
            response = await http.get(
                settings.google_userinfo_url, headers={"Authorization": f"Bearer {access_token}"}
            )
        if response.status_code != 200:
            return None
        email = response.json().get("email")
    except (httpx.HTTPError, ValueError, AttributeError):
        # Who the account is matters less than keeping the grant: connect without it.
        return None
    return email if isinstance(email, str) else None


async def revoke(*, settings: Settings, token: str) -> None:
    """Revoke a grant at Google; an already invalid token counts as revoked."""
    try:
        async with httpx.AsyncClient(timeout=_TIMEOUT) as http:
            response = await http.post(settings.google_revoke_url, data={"token": token})
    except httpx.HTTPError as error:
        raise GoogleUnavailable(type(error).__name__) from None
    if response.status_code >= 500 or response.status_code == 429:
        raise GoogleUnavailable(f"revoke answered {response.status_code}")


def normalize_token(token: dict[str, Any]) -> dict[str, Any]:
    kept = {
        key: token[key]
        for key in ("access_token", "refresh_token", "token_type", "scope", "expires_at")
        if token.get(key) is not None
    }
    if "expires_at" not in kept and token.get("expires_in") is not None:
        kept["expires_at"] = int(time.time()) + int(token["expires_in"])
    return kept
