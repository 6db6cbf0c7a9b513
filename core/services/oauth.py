"""Connecting an agent tool to a Google account (OAuth 2.0 authorization code with PKCE).

The `state` sent to Google is a short-lived JWT, signed with a key derived from
ENCRYPTION_KEYS, naming the agent tool, the user and a nonce; the nonce's row
makes it single-use. The callback checks all of it, and that the user may
still configure the tool, before it exchanges the code.

The state is bound to the browser that started the flow as well: starting it
hands the transport a random value to set as an HttpOnly, SameSite=Lax cookie
(`browser_cookie`), and its digest is kept with the nonce. The callback refuses
a state that arrives without that cookie, so a callback link opened in another
browser (someone else's consent, pushed onto a victim) changes nothing.
"""

from __future__ import annotations

import enum
import hmac
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import jwt
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from core import tenancy
from core.access import Principal, load_access
from core.errors import ServiceError
from core.integrations import google_oauth
from core.rbac import Permission
from core.security.tokens import digest
from core.services import agent_tools
from core.services.agent_tools import AgentToolErrorCode
from core.settings import Settings, parse_encryption_keys
from orm.models import AgentTool, OAuthState, User

_AUDIENCE = "oauth-state"


class OAuthOutcome(enum.StrEnum):
    CONNECTED = "connected"
    DENIED = "denied"
    FAILED = "failed"


@dataclass(frozen=True)
class CallbackResult:
    outcome: OAuthOutcome
    agent_tool_id: uuid.UUID
    reason: str | None = None


class InvalidState(Exception):
    """Forged, expired, replayed or no longer authorized: answer 400, change nothing."""


class OtherBrowser(Exception):
    """The state is genuine but came back to a browser that did not start the flow."""


# The cookies that bind a flow to its browser: one per flow (two tabs may connect two tools).
BROWSER_COOKIE_PREFIX = "va_oauth_"


@dataclass(frozen=True)
class BrowserCookie:
    """Set it on the response that starts the flow: HttpOnly, SameSite=Lax, Secure in
    production, for the callback's path only, as long as the state lives."""

    name: str
    value: str
    path: str
    max_age: int


@dataclass(frozen=True)
class Started:
    authorization_url: str
    browser_cookie: BrowserCookie


def _state_keys(settings: Settings) -> list[bytes]:
    keys = parse_encryption_keys(settings.encryption_keys.get_secret_value()).values()
    return [
        HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"voiceagents oauth state"
        ).derive(key)
        for key in keys
    ]


async def start(*, agent_tool: AgentTool, user: User, settings: Settings) -> Started:
    """The provider's authorization URL for this agent tool, for this user, and the cookie
    that binds the flow to the browser starting it."""
    if agent_tool.tool.auth_type != "oauth2":
        raise ServiceError.single(
            AgentToolErrorCode.NOT_OAUTH_TOOL, "This tool does not connect an account."
        )
    if not settings.google_client_id or settings.google_client_secret is None:
        raise ServiceError.single(
            AgentToolErrorCode.OAUTH_NOT_CONFIGURED,
            "Google sign-in is not configured on this platform.",
        )
    nonce = secrets.token_urlsafe(24)
    code_verifier = secrets.token_urlsafe(64)[:96]
    browser_binding = secrets.token_urlsafe(32)
    expires_at = datetime.now(UTC) + timedelta(seconds=settings.oauth_state_ttl_seconds)
    await OAuthState.create(
        nonce_hash=digest(nonce),
        agent_tool=agent_tool,
        user=user,
        code_verifier=code_verifier,
        browser_binding_hash=digest(browser_binding),
        expires_at=expires_at,
    )
    state = jwt.encode(
        {
            "atl": str(agent_tool.id),
            "sub": str(user.id),
            "nonce": nonce,
            "aud": _AUDIENCE,
            "iat": int(datetime.now(UTC).timestamp()),
            "exp": int(expires_at.timestamp()),
        },
        _state_keys(settings)[0],
        algorithm="HS256",
    )
    url = await google_oauth.authorization_url(
        settings=settings, state=state, code_verifier=code_verifier
    )
    cookie = BrowserCookie(
        name=f"{BROWSER_COOKIE_PREFIX}{secrets.token_hex(6)}",
        value=browser_binding,
        path=urlsplit(google_oauth.callback_url(settings)).path,
        max_age=settings.oauth_state_ttl_seconds,
    )
    return Started(authorization_url=url, browser_cookie=cookie)


async def complete(
    *,
    state: str,
    code: str | None,
    error: str | None,
    browser_bindings: list[str],
    settings: Settings,
) -> CallbackResult:
    """Handle Google's redirect: verify the state and that this browser started its flow
    (`browser_bindings`: the values of its BROWSER_COOKIE_PREFIX cookies), spend the state,
    then store the grant."""
    claims = _verify_state(state, settings)
    # The flow's agent tool is in the organization the signed state's nonce leads to.
    tenancy.admit([await tenancy.oauth_state_organization(digest(claims["nonce"]))])
    now = datetime.now(UTC)
    row = await OAuthState.get_or_none(
        nonce_hash=digest(claims["nonce"]), used_at=None, expires_at__gt=now
    ).select_related("user", "agent_tool__tool")
    if row is None or str(row.agent_tool_id) != claims["atl"] or str(row.user_id) != claims["sub"]:
        raise InvalidState("unknown, used or expired state")
    if not _started_in_this_browser(row, browser_bindings):
        # Not spent: the browser that started the flow can still finish it.
        raise OtherBrowser("the state's cookie is missing or different")
    if not await OAuthState.filter(id=row.id, used_at=None).update(used_at=now):
        raise InvalidState("state already used")
    agent_tool: AgentTool = row.agent_tool
    user: User = row.user
    access = await load_access(Principal(user=user), [agent_tool.organization_id])
    granted = access.get(agent_tool.organization_id)
    if not user.is_active or granted is None or not granted.allows(Permission.TOOL_CONFIGURE):
        raise InvalidState("the user may no longer configure this tool")
    if error or not code:
        return CallbackResult(OAuthOutcome.DENIED, agent_tool.id, error or "no code")
    try:
        tokens = await google_oauth.exchange_code(
            settings=settings, code=code, code_verifier=row.code_verifier
        )
        account = await google_oauth.account_email(
            settings=settings, access_token=tokens["access_token"]
        )
    except (google_oauth.GrantRevoked, google_oauth.GoogleUnavailable, KeyError) as failure:
        return CallbackResult(OAuthOutcome.FAILED, agent_tool.id, type(failure).__name__)
    await agent_tools.store_oauth_tokens(
        agent_tool=agent_tool, tokens=tokens, account=account, settings=settings
    )
    return CallbackResult(OAuthOutcome.CONNECTED, agent_tool.id)


def _started_in_this_browser(row: OAuthState, browser_bindings: list[str]) -> bool:
    expected = row.browser_binding_hash
    if expected is None:
        return False
    return any(hmac.compare_digest(digest(value), expected) for value in browser_bindings)


def _verify_state(state: str, settings: Settings) -> dict[str, str]:
    for key in _state_keys(settings):
        try:
            claims = jwt.decode(
                state,
                key,
                algorithms=["HS256"],
                audience=_AUDIENCE,
                options={"require": ["exp", "iat", "sub", "aud"]},
            )
        except jwt.InvalidSignatureError:
            continue
        except jwt.PyJWTError as failure:
            raise InvalidState(type(failure).__name__) from None
        if not all(isinstance(claims.get(k), str) for k in ("atl", "sub", "nonce")):
            raise InvalidState("malformed state")
        return claims
    raise InvalidState("bad signature")
