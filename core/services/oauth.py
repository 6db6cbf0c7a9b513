"""Connecting an agent tool to a Google account (OAuth 2.0 authorization code with PKCE).

The `state` sent to Google (core/security/oauth_flow.py) names the agent tool, the user and
a nonce; the nonce's row makes it single-use. The callback checks all of it, and that the
user may still configure the tool, before it exchanges the code.

The state is bound to the browser that started the flow as well (`browser_cookie`, an
HttpOnly, SameSite=Lax cookie whose digest is kept with the nonce): the callback refuses a
state that arrives without that cookie, so a callback link opened in another browser
(someone else's consent, pushed onto a victim) changes nothing.
"""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from core import tenancy
from core.access import Principal, load_access
from core.errors import ServiceError
from core.integrations import google_oauth
from core.rbac import Permission
from core.security import oauth_flow
from core.security.oauth_flow import BROWSER_COOKIE_PREFIX, BrowserCookie, InvalidState
from core.security.tokens import digest
from core.services import agent_tools
from core.services.agent_tools import AgentToolErrorCode
from core.settings import Settings
from orm.models import AgentTool, OAuthState, User

__all__ = [
    "BROWSER_COOKIE_PREFIX",
    "BrowserCookie",
    "CallbackResult",
    "InvalidState",
    "OAuthOutcome",
    "OtherBrowser",
    "Started",
    "complete",
    "start",
]

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


class OtherBrowser(Exception):
    """The state is genuine but came back to a browser that did not start the flow."""


@dataclass(frozen=True)
class Started:
    authorization_url: str
    browser_cookie: BrowserCookie


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
    nonce = oauth_flow.new_nonce()
    code_verifier = oauth_flow.new_code_verifier()
    binding = oauth_flow.new_browser_binding(
        callback_path=urlsplit(google_oauth.callback_url(settings)).path,
        max_age=settings.oauth_state_ttl_seconds,
    )
    expires_at = datetime.now(UTC) + timedelta(seconds=settings.oauth_state_ttl_seconds)
    await OAuthState.create(
        nonce_hash=digest(nonce),
        agent_tool=agent_tool,
        user=user,
        code_verifier=code_verifier,
        browser_binding_hash=binding.digest,
        expires_at=expires_at,
    )
    state = oauth_flow.sign_state(
        {"atl": str(agent_tool.id), "sub": str(user.id), "nonce": nonce},
        audience=_AUDIENCE,
        expires_at=expires_at,
        settings=settings,
    )
    url = await google_oauth.authorization_url(
        settings=settings, state=state, code_verifier=code_verifier
    )
    return Started(authorization_url=url, browser_cookie=binding.cookie)


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
    claims = oauth_flow.verify_state(
        state, audience=_AUDIENCE, settings=settings, strings=("atl", "sub", "nonce")
    )
    # The flow's agent tool is in the organization the signed state's nonce leads to.
    tenancy.admit([await tenancy.oauth_state_organization(digest(claims["nonce"]))])
    now = datetime.now(UTC)
    row = await OAuthState.get_or_none(
        nonce_hash=digest(claims["nonce"]), used_at=None, expires_at__gt=now
    ).select_related("user", "agent_tool__tool")
    if row is None or str(row.agent_tool_id) != claims["atl"] or str(row.user_id) != claims["sub"]:
        raise InvalidState("unknown, used or expired state")
    if not oauth_flow.started_in_this_browser(row.browser_binding_hash, browser_bindings):
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
