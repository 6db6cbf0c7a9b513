"""Sign in with Google (OpenID Connect): from the start to the session tokens.

1. `start`: a GoogleSignInState row (the digest of the state's nonce, the PKCE verifier, the
   OpenID Connect nonce, the digest of a cookie set on the browser, where to return, the user
   when linking), the signed state naming the row's nonce, and Google's authorization URL
   (core/security/oauth_flow.py: what this flow shares with the calendar tool's).
2. `complete`: Google's redirect. A state that is not genuine, alive, unspent and started in
   this very browser raises InvalidState (the transport answers 400 and sends the browser
   nowhere: the redirect URL of an unverified state is nobody's to trust). From there every
   outcome goes back to the state's redirect URL: a one-time code after a sign-in, `linked`
   after a link, `error=<code>` otherwise; never a token.
3. `exchange`: the one-time code (single use, 60 s, kept as a digest) for the session tokens
   signIn gives, in a session that records the client's address and user agent.

Who the Google account is, and to which user it leads, is core/services/google_identities.py.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from core.errors import DescribedEnum, ServiceError
from core.integrations import google_oidc
from core.security import oauth_flow
from core.security.oauth_flow import BrowserCookie, InvalidState
from core.security.tokens import AccessTokenCodec, digest, new_secret
from core.services import google_identities, sessions
from core.services.accounts import AccountErrorCode
from core.services.google_identities import SignInRefusal, SignInRefused
from core.settings import Settings
from orm.models import GoogleSignInState, OneTimeToken, User

log = logging.getLogger(__name__)

STATE_AUDIENCE = "google-sign-in-state"
CODE_PURPOSE = "google_sign_in"
CODE_TTL_SECONDS = 60
# The prefix says what a leaked value is ("vagc": voice agents, Google code).
CODE_PREFIX = "vagc"
_MAX_CODE_LENGTH = 200
MAX_CLIENT_STATE_LENGTH = 256


class GoogleSignInErrorCode(DescribedEnum):
    GOOGLE_SIGN_IN_DISABLED = (
        "google_sign_in_disabled",
        "Sign-in with Google is not configured on this platform (`authProviders` lists GOOGLE "
        "when it is).",
    )
    REDIRECT_NOT_ALLOWED = (
        "redirect_not_allowed",
        "`redirectUrl` is not one of the platform's allowed dashboard URLs "
        "(GOOGLE_SIGNIN_ALLOWED_REDIRECT_URLS, compared exactly).",
    )
    BROWSER_REQUIRED = (
        "browser_required",
        "Start linking over HTTP, from the browser that will open the link (the answer sets "
        "a cookie); not over WebSocket.",
    )
    GOOGLE_UNAVAILABLE = (
        "google_unavailable",
        "Google could not be reached (its discovery document); try again shortly.",
    )
    LAST_SIGN_IN_METHOD = (
        "last_sign_in_method",
        "Unlinking would leave the account no way to sign in: set a password (`passwordSet`) "
        "or link another Google account first.",
    )


@dataclass(frozen=True)
class Started:
    authorization_url: str
    browser_cookie: BrowserCookie


@dataclass(frozen=True)
class Completed:
    """Where the callback sends the browser, and what it tells the dashboard there."""

    redirect_url: str
    # A sign-in: the one-time code for authCodeExchange.
    code: str | None = None
    # A link: the Google account is now linked to the user who started the flow.
    linked: bool = False
    error: SignInRefusal | None = None
    # What the dashboard passed to the start as `state`, handed back as it was.
    client_state: str | None = None


def enabled(settings: Settings) -> bool:
    return settings.google_signin_credentials is not None


def redirect_allowed(redirect_url: str, settings: Settings) -> bool:
    return redirect_url in settings.google_signin_allowed_redirect_urls


async def start(
    *,
    redirect_url: str,
    settings: Settings,
    link_user: User | None = None,
    client_state: str | None = None,
) -> Started:
    """Google's authorization URL for a sign-in (or, with `link_user`, for linking Google to
    that user), returning to `redirect_url`, and the cookie binding the flow to the browser.

    `client_state`: the dashboard's own value, carried inside the signed state and handed
    back with the outcome, so that the dashboard exchanges only codes of sign-ins it started
    (a code pushed into its URL by someone else would sign it into their account)."""
    if not enabled(settings):
        raise ServiceError.single(
            GoogleSignInErrorCode.GOOGLE_SIGN_IN_DISABLED,
            "Sign-in with Google is not available here.",
        )
    if not redirect_allowed(redirect_url, settings):
        raise ServiceError.single(
            GoogleSignInErrorCode.REDIRECT_NOT_ALLOWED,
            "This address is not one the platform may send you back to.",
            "redirect_url",
        )
    now = datetime.now(UTC)
    expires_at = now + timedelta(seconds=settings.oauth_state_ttl_seconds)
    nonce, oidc_nonce = oauth_flow.new_nonce(), oauth_flow.new_nonce()
    code_verifier = oauth_flow.new_code_verifier()
    binding = oauth_flow.new_browser_binding(
        callback_path=urlsplit(google_oidc.callback_url(settings)).path,
        max_age=settings.oauth_state_ttl_seconds,
    )
    state = oauth_flow.sign_state(
        {"nonce": nonce, "lnk": str(link_user.id) if link_user else "", "cst": client_state or ""},
        audience=STATE_AUDIENCE,
        expires_at=expires_at,
        settings=settings,
    )
    try:
        url = await google_oidc.authorization_url(
            settings=settings, state=state, nonce=oidc_nonce, code_verifier=code_verifier
        )
    except google_oidc.GoogleUnavailable as failure:
        log.warning("google sign-in could not start", extra={"reason": str(failure)})
        raise ServiceError.single(
            GoogleSignInErrorCode.GOOGLE_UNAVAILABLE,
            "Google cannot be reached right now. Try again in a moment.",
        ) from None
    # Anyone may start flows: the dead ones go as new ones come.
    await GoogleSignInState.filter(expires_at__lt=now).delete()
    await GoogleSignInState.create(
        nonce_hash=digest(nonce),
        code_verifier=code_verifier,
        oidc_nonce=oidc_nonce,
        browser_binding_hash=binding.digest,
        redirect_url=redirect_url,
        link_user=link_user,
        expires_at=expires_at,
    )
    return Started(authorization_url=url, browser_cookie=binding.cookie)


async def complete(
    *,
    state: str,
    code: str | None,
    error: str | None,
    browser_bindings: list[str],
    settings: Settings,
) -> Completed:
    """Google's redirect: check and spend the state (InvalidState if it is not genuine,
    alive, unspent and from this browser), then sign in or link and say how it went."""
    claims = oauth_flow.verify_state(
        state, audience=STATE_AUDIENCE, settings=settings, strings=("nonce", "lnk", "cst")
    )
    now = datetime.now(UTC)
    row = await GoogleSignInState.get_or_none(
        nonce_hash=digest(claims["nonce"]), used_at=None, expires_at__gt=now
    )
    if row is None or str(row.link_user_id or "") != claims["lnk"]:
        raise InvalidState("unknown, used or expired state")
    if not oauth_flow.started_in_this_browser(row.browser_binding_hash, browser_bindings):
        # Not spent: the browser that started the flow can still finish it.
        raise InvalidState("the state's cookie is missing or different")
    if not redirect_allowed(row.redirect_url, settings):
        raise InvalidState("the redirect URL is no longer allowed")
    if not await GoogleSignInState.filter(id=row.id, used_at=None).update(used_at=now):
        raise InvalidState("state already used")
    try:
        completed = await _finish(row, code=code, error=error, settings=settings)
    except SignInRefused as refused:
        log.info(
            "google sign-in refused",
            extra={"reason": refused.refusal.value, "linking": row.link_user_id is not None},
        )
        completed = Completed(row.redirect_url, error=refused.refusal)
    except Exception:
        # The state was genuine: the browser goes back to its dashboard with
        # `error=server_error`, not to a bare error page.
        log.exception("google sign-in failed", extra={"state_id": str(row.id)})
        completed = Completed(row.redirect_url, error=SignInRefusal.SERVER_ERROR)
    return replace(completed, client_state=claims["cst"] or None)


async def _finish(
    row: GoogleSignInState, *, code: str | None, error: str | None, settings: Settings
) -> Completed:
    if error or not code:
        raise SignInRefused(SignInRefusal.CANCELLED)
    account = await google_identities.verified_account(
        settings=settings, code=code, code_verifier=row.code_verifier, nonce=row.oidc_nonce
    )
    if row.link_user_id is not None:
        await google_identities.link(user_id=row.link_user_id, account=account)
        return Completed(row.redirect_url, linked=True)
    user = await google_identities.user_signing_in(account=account)
    return Completed(row.redirect_url, code=await _issue_code(user))


async def _issue_code(user: User) -> str:
    now = datetime.now(UTC)
    await OneTimeToken.filter(purpose=CODE_PURPOSE, expires_at__lt=now).delete()
    code = new_secret(CODE_PREFIX)
    await OneTimeToken.create(
        user=user,
        purpose=CODE_PURPOSE,
        token_hash=digest(code),
        expires_at=now + timedelta(seconds=CODE_TTL_SECONDS),
    )
    return code


async def exchange(
    *,
    code: str,
    codec: AccessTokenCodec,
    settings: Settings,
    client_address: str,
    user_agent: str | None = None,
) -> sessions.IssuedTokens:
    """Swap the one-time code of a Google sign-in for a session's tokens (once, within 60 s)."""
    invalid = ServiceError.single(
        AccountErrorCode.INVALID_CODE,
        "This sign-in code is invalid, used or expired. Sign in again.",
        "code",
    )
    if len(code) > _MAX_CODE_LENGTH:
        raise invalid
    now = datetime.now(UTC)
    row = await OneTimeToken.get_or_none(
        token_hash=digest(code), purpose=CODE_PURPOSE, used_at=None, expires_at__gt=now
    )
    # Single use even under concurrency: only one update can flip used_at.
    if row is None or not await OneTimeToken.filter(id=row.id, used_at=None).update(used_at=now):
        raise invalid
    user = await User.get_or_none(id=row.user_id, is_active=True)
    if user is None:
        raise invalid
    return await sessions.start(
        user=user,
        codec=codec,
        settings=settings,
        client_address=client_address,
        user_agent=user_agent,
    )
