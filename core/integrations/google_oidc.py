"""Sign in with Google: OpenID Connect through Authlib.

Google's discovery document names the endpoints and the key set
(https://developers.google.com/identity/openid-connect/openid-connect#discovery). Both are
fetched through Authlib and kept per client: the document for an hour, the key set until an
ID token names a key it lacks (Google rotates its keys), when Authlib fetches it again.

The ID token is verified as Google's page says
(https://developers.google.com/identity/openid-connect/openid-connect#validatinganidtoken):
an RS256 signature by a key of the set, `iss` one of Google's two spellings, `aud` our client
id (and `azp`, when present), `exp` and `iat` within a small leeway, and the `nonce` our
request carried. Whether Google vouches for the email (`email_verified`) is the caller's to
judge: it answers that with its own code.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import Any

from core.integrations.google_oauth import (
    AUTHLIB_TIMEOUT,
    HTTP_ERRORS,
    TOKEN_ENDPOINT_ERRORS,
    GoogleUnavailable,
    oauth_error,
)
from core.settings import Settings

__all__ = [
    "CodeRefused",
    "GoogleAccount",
    "GoogleUnavailable",
    "IdTokenRejected",
    "NotConfigured",
    "authorization_url",
    "callback_url",
    "verified_account",
]

SCOPES = "openid email profile"
ISSUERS = ["https://accounts.google.com", "accounts.google.com"]
# Clock skew between Google and us; an ID token lives an hour and is used at once.
LEEWAY_SECONDS = 30
_METADATA_TTL_SECONDS = 3600
# Reading the discovery document may fail with these (KeyError: it names no endpoint).
_DISCOVERY_ERRORS: tuple[type[Exception], ...] = (*HTTP_ERRORS, ValueError, KeyError, RuntimeError)
_EXCHANGE_ERRORS: tuple[type[Exception], ...] = (*TOKEN_ENDPOINT_ERRORS, RuntimeError)


@dataclass(frozen=True)
class GoogleAccount:
    """Who Google says signed in."""

    subject: str
    email: str
    email_verified: bool
    name: str | None


class NotConfigured(Exception):
    """GOOGLE_SIGNIN_CLIENT_ID is not set."""


class CodeRefused(Exception):
    """Google's token endpoint refused the authorization code (used, expired, not ours)."""


class IdTokenRejected(Exception):
    """The ID token failed verification (signature, issuer, audience, expiry, nonce)."""


def callback_url(settings: Settings) -> str:
    return f"{settings.public_base_url.rstrip('/')}/auth/google/callback"


async def authorization_url(
    *, settings: Settings, state: str, nonce: str, code_verifier: str
) -> str:
    """Where to send the browser: Google's account chooser, with PKCE (S256) and the nonce."""
    from authlib.integrations.httpx_client import AsyncOAuth2Client

    app = _app(settings)
    try:
        endpoint = (await app.load_server_metadata())["authorization_endpoint"]
    except _DISCOVERY_ERRORS as error:
        raise GoogleUnavailable(type(error).__name__) from None
    # Not the app's own create_authorization_url: that one logs the PKCE verifier (at DEBUG).
    async with AsyncOAuth2Client(
        client_id=app.client_id,
        redirect_uri=callback_url(settings),
        scope=SCOPES,
        code_challenge_method="S256",
        timeout=AUTHLIB_TIMEOUT,
    ) as client:
        url, _ = client.create_authorization_url(
            endpoint,
            state=state,
            nonce=nonce,
            code_verifier=code_verifier,
            prompt="select_account",
        )
    return str(url)


async def verified_account(
    *, settings: Settings, code: str, code_verifier: str, nonce: str
) -> GoogleAccount:
    """Exchange the code (with the PKCE verifier) and verify the ID token Google returns."""
    from joserfc.errors import JoseError

    app = _app(settings)
    try:
        token = await app.fetch_access_token(
            redirect_uri=callback_url(settings), code=code, code_verifier=code_verifier
        )
    except oauth_error() as error:
        raise CodeRefused(error.error or "authorization code refused") from None
    except _EXCHANGE_ERRORS as error:
        raise GoogleUnavailable(type(error).__name__) from None
    if not isinstance(token, dict) or not isinstance(token.get("id_token"), str):
        raise IdTokenRejected("no id_token")
    try:
        claims = await app.parse_id_token(
            token, nonce=nonce, claims_options=_claims_options(app.client_id), leeway=LEEWAY_SECONDS
        )
    except HTTP_ERRORS as error:  # the key set could not be fetched
        raise GoogleUnavailable(type(error).__name__) from None
    except (JoseError, ValueError, KeyError, TypeError) as error:
        raise IdTokenRejected(type(error).__name__) from None
    email = claims.get("email")
    if not isinstance(email, str) or not email:
        raise IdTokenRejected("no email")
    name = claims.get("name")
    return GoogleAccount(
        subject=str(claims["sub"]),
        email=email,
        # Only a JSON true counts.
        email_verified=claims.get("email_verified") is True,
        name=name if isinstance(name, str) and name.strip() else None,
    )


def _claims_options(client_id: str) -> dict[str, Any]:
    # Built for each token: Authlib pops hooks out of the options it is given.
    return {
        "iss": {"essential": True, "values": list(ISSUERS)},
        "aud": {"essential": True, "value": client_id},
        "sub": {"essential": True},
        "exp": {"essential": True},
        "iat": {"essential": True},
        "nonce": {"essential": True},
    }


# One Authlib app per client and discovery URL: it keeps the discovery document and the key
# set between sign-ins.
_apps: dict[tuple[str, str, str], Any] = {}


def _app(settings: Settings) -> Any:
    credentials = settings.google_signin_credentials
    if credentials is None:
        raise NotConfigured("GOOGLE_SIGNIN_CLIENT_ID is not set")
    client_id, secret = credentials
    key = (
        client_id,
        hashlib.sha256(secret.get_secret_value().encode()).hexdigest(),
        settings.google_oidc_discovery_url,
    )
    app = _apps.get(key)
    loaded_at = app.server_metadata.get("_loaded_at") if app is not None else None
    if app is None or (loaded_at and time.time() - loaded_at > _METADATA_TTL_SECONDS):
        app = _apps[key] = _new_app(client_id, secret.get_secret_value(), key[2])
    return app


def _new_app(client_id: str, client_secret: str, discovery_url: str) -> Any:
    # Authlib (~25 MB with its dependencies) is loaded at the first sign-in, not at start-up.
    from authlib.integrations.base_client import BaseApp, FrameworkIntegration
    from authlib.integrations.base_client.async_app import AsyncOAuth2Mixin
    from authlib.integrations.base_client.async_openid import AsyncOpenIDMixin
    from authlib.integrations.httpx_client import AsyncOAuth2Client

    class GoogleOpenID(AsyncOAuth2Mixin, AsyncOpenIDMixin, BaseApp):
        client_cls = AsyncOAuth2Client

        async def load_server_metadata(self) -> dict[str, Any]:
            metadata: dict[str, Any] = await super().load_server_metadata()
            # Google signs ID tokens with RS256; whatever a document lists, nothing else passes.
            metadata["id_token_signing_alg_values_supported"] = ["RS256"]
            return metadata

    return GoogleOpenID(
        FrameworkIntegration("google-sign-in"),
        name="google-sign-in",
        client_id=client_id,
        client_secret=client_secret,
        server_metadata_url=discovery_url,
        client_kwargs={
            "scope": SCOPES,
            "code_challenge_method": "S256",
            "timeout": AUTHLIB_TIMEOUT,
        },
    )
