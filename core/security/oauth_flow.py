"""What every OAuth flow a browser starts shares: the signed state, the browser binding, PKCE.

- The `state` sent to the provider is a short-lived JWT signed with a key derived from
  ENCRYPTION_KEYS (any listed key verifies, so a rotation does not break flows under way). Its
  `aud` names the flow (the calendar tool's connection, Google sign-in), so one flow's state
  is never accepted by another. It carries a nonce whose row, kept by the flow, makes it
  single-use.
- The flow is bound to the browser that started it: starting it hands the transport a random
  value to set as an HttpOnly, SameSite=Lax cookie for the callback's path only, and the row
  keeps its digest. A callback that arrives without that cookie (the link opened in another
  browser: someone else's consent pushed onto a victim) changes nothing.
- PKCE (RFC 7636, S256): the verifier stays with the row, the challenge goes to the provider.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import jwt
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from core.security.tokens import digest
from core.settings import Settings, parse_encryption_keys

# One cookie per flow (two tabs may run two flows); the path keeps each flow's cookies to
# its own callback.
BROWSER_COOKIE_PREFIX = "va_oauth_"
# A browser sends a few at most; more is not a browser we started flows in.
MAX_FLOWS_PER_BROWSER = 20


class InvalidState(Exception):
    """Forged, expired, replayed, or from another browser: answer 400, change nothing."""


@dataclass(frozen=True)
class BrowserCookie:
    """Set it on the response that starts the flow: HttpOnly, SameSite=Lax, Secure in
    production, for the callback's path only, as long as the state lives."""

    name: str
    value: str
    path: str
    max_age: int


@dataclass(frozen=True)
class BrowserBinding:
    cookie: BrowserCookie
    # What the flow's row keeps: the cookie's value never rests in the database.
    digest: str


def new_browser_binding(*, callback_path: str, max_age: int) -> BrowserBinding:
    value = secrets.token_urlsafe(32)
    cookie = BrowserCookie(
        name=f"{BROWSER_COOKIE_PREFIX}{secrets.token_hex(6)}",
        value=value,
        path=callback_path,
        max_age=max_age,
    )
    return BrowserBinding(cookie=cookie, digest=digest(value))


def browser_bindings(cookies: Mapping[str, str]) -> list[str]:
    """The values of the flow cookies a callback request carries."""
    values = [value for name, value in cookies.items() if name.startswith(BROWSER_COOKIE_PREFIX)]
    return values[:MAX_FLOWS_PER_BROWSER]


def started_in_this_browser(expected_digest: str | None, bindings: list[str]) -> bool:
    if expected_digest is None:
        return False
    return any(hmac.compare_digest(digest(value), expected_digest) for value in bindings)


def new_nonce() -> str:
    return secrets.token_urlsafe(24)


def new_code_verifier() -> str:
    """A PKCE verifier: 96 URL-safe characters (RFC 7636 allows 43 to 128)."""
    return secrets.token_urlsafe(64)[:96]


def state_keys(settings: Settings) -> list[bytes]:
    """The keys that sign (the first) and verify (any) states."""
    keys = parse_encryption_keys(settings.encryption_keys.get_secret_value()).values()
    return [
        HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"voiceagents oauth state"
        ).derive(key)
        for key in keys
    ]


def sign_state(
    claims: Mapping[str, Any], *, audience: str, expires_at: datetime, settings: Settings
) -> str:
    return jwt.encode(
        {
            **claims,
            "aud": audience,
            "iat": int(datetime.now(UTC).timestamp()),
            "exp": int(expires_at.timestamp()),
        },
        state_keys(settings)[0],
        algorithm="HS256",
    )


def verify_state(
    state: str, *, audience: str, settings: Settings, strings: tuple[str, ...]
) -> dict[str, Any]:
    """The claims of a state this server signed for `audience`, still alive, whose `strings`
    claims are all strings; InvalidState otherwise."""
    for key in state_keys(settings):
        try:
            claims = jwt.decode(
                state,
                key,
                algorithms=["HS256"],
                audience=audience,
                options={"require": ["exp", "iat", "aud"]},
            )
        except jwt.InvalidSignatureError:
            continue
        except jwt.PyJWTError as failure:
            raise InvalidState(type(failure).__name__) from None
        if not all(isinstance(claims.get(name), str) for name in strings):
            raise InvalidState("malformed state")
        return claims
    raise InvalidState("bad signature")
