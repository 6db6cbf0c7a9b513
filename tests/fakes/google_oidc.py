"""Google's OpenID Connect side, for the fake Google (tests/fakes/google.py).

What it follows, from Google's "OpenID Connect" page
(https://developers.google.com/identity/openid-connect/openid-connect):
- the discovery document at `/.well-known/openid-configuration` ("The Discovery document"),
  with the fields Google's own has (https://accounts.google.com/.well-known/openid-configuration),
  its endpoints pointing at the fake;
- the key set at `/oauth2/v3/certs` (Google's `jwks_uri`): RSA keys with `kid`, `alg` RS256,
  `use` sig, two at a time (the one signing now and the next), with Google's cache headers;
- the ID token in the token endpoint's answer when the scope has `openid` ("Obtaining user
  profile information", "An ID token's payload"): RS256, header `kid`; `iss`
  https://accounts.google.com, `azp` and `aud` the client id, `sub`, `email`,
  `email_verified`, `at_hash`, `name`, `iat`, `exp` one hour later, and the request's `nonce`
  when it carried one.

Tests script the account a consent signs in (`SignInAccount`) and, to prove the verifier
refuses them, forge the next ID token (`IdTokenForgery`: changed or removed claims, a key
outside the set under a published `kid`, or an unknown `kid`).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from tests.support.secret_scan import SCANNER

ISSUER = "https://accounts.google.com"
ID_TOKEN_LIFETIME = 3600


def _google_subject() -> str:
    # Google's `sub`: up to 255 ASCII characters; in practice 21 digits.
    return str(10**20 + secrets.randbelow(9 * 10**20))


@dataclass(frozen=True)
class SignInAccount:
    """The Google account that signs in at the next consent."""

    email: str
    subject: str = field(default_factory=_google_subject)
    email_verified: bool = True
    name: str | None = "Ada Lovelace"


# What an IdTokenForgery puts in place of a claim to remove it.
REMOVED = object()


@dataclass(frozen=True)
class IdTokenForgery:
    """How the next ID token differs from a genuine one."""

    claims: dict[str, Any] = field(default_factory=dict)
    # Signed with a key that is not in the set, under the `kid` of one that is.
    foreign_key: bool = False
    # Signed with a key that is not in the set, under a `kid` the set does not have.
    unknown_kid: bool = False


class _Key:
    def __init__(self) -> None:
        self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = secrets.token_hex(20)

    def jwk(self) -> dict[str, Any]:
        public: dict[str, Any] = RSAAlgorithm.to_jwk(self.private.public_key(), as_dict=True)
        return {**public, "kid": self.kid, "alg": "RS256", "use": "sig"}


class OpenIdProvider:
    def __init__(self) -> None:
        self._signing, self._next, self._foreign = _Key(), _Key(), _Key()
        self.reset()

    def reset(self) -> None:
        self.forgeries: deque[IdTokenForgery] = deque()
        self.issued: list[dict[str, Any]] = []  # the claims of every ID token minted
        self.id_tokens: list[str] = []  # and the tokens themselves

    def forge_next_id_token(self, forgery: IdTokenForgery) -> None:
        self.forgeries.append(forgery)

    def discovery_document(self, base_url: str) -> dict[str, Any]:
        return {
            "issuer": ISSUER,
            "authorization_endpoint": f"{base_url}/o/oauth2/v2/auth",
            "device_authorization_endpoint": f"{base_url}/device/code",
            "token_endpoint": f"{base_url}/token",
            "userinfo_endpoint": f"{base_url}/userinfo",
            "revocation_endpoint": f"{base_url}/revoke",
            "jwks_uri": f"{base_url}/oauth2/v3/certs",
            "response_types_supported": [
                "code",
                "token",
                "id_token",
                "code token",
                "code id_token",
                "token id_token",
                "code token id_token",
                "none",
            ],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "claims_supported": [
                "aud",
                "email",
                "email_verified",
                "exp",
                "family_name",
                "given_name",
                "iat",
                "iss",
                "name",
                "picture",
                "sub",
            ],
            "code_challenge_methods_supported": ["plain", "S256"],
            "grant_types_supported": [
                "authorization_code",
                "refresh_token",
                "urn:ietf:params:oauth:grant-type:device_code",
                "urn:ietf:params:oauth:grant-type:jwt-bearer",
            ],
        }

    def key_set(self) -> dict[str, Any]:
        return {"keys": [self._signing.jwk(), self._next.jwk()]}

    def id_token(
        self, *, client_id: str, account: SignInAccount, nonce: str | None, access_token: str
    ) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": ISSUER,
            "azp": client_id,
            "aud": client_id,
            "sub": account.subject,
            "email": account.email,
            "email_verified": account.email_verified,
            "at_hash": _at_hash(access_token),
            "iat": now,
            "exp": now + ID_TOKEN_LIFETIME,
        }
        if account.name:
            claims["name"] = account.name
        if nonce:
            claims["nonce"] = nonce
        key, kid = self._signing.private, self._signing.kid
        if self.forgeries:
            forgery = self.forgeries.popleft()
            for name, value in forgery.claims.items():
                if value is REMOVED:
                    claims.pop(name, None)
                else:
                    claims[name] = value
            if forgery.foreign_key:
                key = self._foreign.private
            if forgery.unknown_kid:
                key, kid = self._foreign.private, self._foreign.kid
        self.issued.append(claims)
        token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": kid})
        self.id_tokens.append(token)
        # What Google issues must never leave our server (tests/support/secret_scan.py).
        SCANNER.plant(token, "Google ID token", anywhere=True)
        return token


def _at_hash(access_token: str) -> str:
    """The left half of the access token's SHA-256, base64url without padding (OIDC Core
    3.1.3.6)."""
    half = hashlib.sha256(access_token.encode("ascii")).digest()[:16]
    return base64.urlsafe_b64encode(half).decode().rstrip("=")
