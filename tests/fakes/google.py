"""A fake Google that speaks the real endpoints: OAuth 2.0 (authorize, token, revoke,
userinfo), OpenID Connect (discovery, key set, ID tokens: tests/fakes/google_oidc.py) and
Calendar API v3 (freeBusy, events), served by uvicorn on 127.0.0.1.

    async with FakeGoogle() as google:
        settings = base.model_copy(update=google.settings_overrides())
        url = ...                                   # the app's authorization URL
        callback = await google.consent(url)        # redirect_uri?code=...&state=...

Everything is in memory and inspectable: `google.requests` (every request),
`google.token_requests(...)`, `google.calendar_requests()`, `google.revoked`,
`google.events(account)`. Failures are scripted: `fail_calendar(...)`,
`fail_token(...)`, `expire_access_tokens(...)`, `revoke_grant(...)`.

Events keep `extendedProperties` as Google documents them
(https://developers.google.com/calendar/api/v3/reference/events and
https://developers.google.com/calendar/api/guides/extended-properties): set on insert,
merged key by key on patch (null deletes a key), replaced on update, and events.list
filters on `privateExtendedProperty` / `sharedExtendedProperty` (`name=value`, repeatable,
every constraint must hold).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import secrets
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit
from zoneinfo import ZoneInfo

from pydantic import SecretStr
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from tests.fakes.base import FakeService
from tests.fakes.google_oidc import OpenIdProvider, SignInAccount
from tests.support.secret_scan import SCANNER
from tests.support.waiting import DEADLINE

CODE_TTL_SECONDS = 600


class FakeGoogleError(AssertionError):
    """The fake refused what a test asked of it (e.g. an invalid authorization request)."""


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any  # JSON object, form dict, or None
    status: int = 0

    @property
    def grant_type(self) -> str | None:
        return self.body.get("grant_type") if isinstance(self.body, dict) else None


@dataclass
class Grant:
    """One consent: a refresh token and the access tokens minted from it."""

    account: str
    client_id: str
    scope: str
    refresh_token: str
    revoked: bool = False


@dataclass
class AccessToken:
    token: str
    grant: Grant
    expires_at: float
    revoked: bool = False

    def valid(self) -> bool:
        return not self.revoked and not self.grant.revoked and self.expires_at > time.time()


@dataclass
class _AuthorizationCode:
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    code_challenge: str
    account: str
    expires_at: float
    used: bool = False
    # OpenID Connect: the request's nonce, and who signs in (by default: `account`).
    nonce: str | None = None
    sign_in: SignInAccount | None = None


@dataclass
class _Consent:
    client_id: str
    redirect_uri: str
    scope: str
    state: str
    code_challenge: str
    params: dict[str, str]


@dataclass
class _ScriptedFailure:
    status: int
    reason: str
    message: str
    retry_after: str | None = None


@dataclass
class _Calendar:
    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    deleted: set[str] = field(default_factory=set)


_CALENDAR_ERRORS = {
    400: ("badRequest", "Bad Request", "INVALID_ARGUMENT"),
    401: ("authError", "Invalid Credentials", "UNAUTHENTICATED"),
    403: ("forbidden", "Forbidden", "PERMISSION_DENIED"),
    404: ("notFound", "Not Found", "NOT_FOUND"),
    410: ("deleted", "Resource has been deleted", "NOT_FOUND"),
    429: ("rateLimitExceeded", "Rate Limit Exceeded", "RESOURCE_EXHAUSTED"),
    500: ("backendError", "Backend Error", "INTERNAL"),
    503: ("backendError", "The service is currently unavailable.", "UNAVAILABLE"),
}


def google_error(
    status: int, reason: str | None = None, message: str | None = None
) -> JSONResponse:
    """Google's JSON error shape for the Calendar API."""
    default_reason, default_message, status_name = _CALENDAR_ERRORS.get(
        status, ("backendError", "Error", "UNKNOWN")
    )
    reason = reason or default_reason
    message = message or default_message
    domain = "usageLimits" if "RateLimit" in reason or "rateLimit" in reason else "global"
    return JSONResponse(
        {
            "error": {
                "code": status,
                "message": message,
                "errors": [{"domain": domain, "reason": reason, "message": message}],
                "status": status_name,
            }
        },
        status_code=status,
    )


def s256(code_verifier: str) -> str:
    digest = hashlib.sha256(code_verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def parse_time(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("a time without an offset")
    return moment


def _event_interval(event: dict[str, Any]) -> tuple[datetime, datetime] | None:
    try:
        return parse_time(event["start"]["dateTime"]), parse_time(event["end"]["dateTime"])
    except (KeyError, TypeError, ValueError):
        return None


def _event_id() -> str:
    # Google's event ids use base32hex characters: a-v and 0-9.
    alphabet = "abcdefghijklmnopqrstuv0123456789"
    return "".join(secrets.choice(alphabet) for _ in range(26))


class FakeGoogle(FakeService):
    """The fake server and its state. Use as `async with FakeGoogle() as google:`."""

    def __init__(
        self,
        *,
        account: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        redirect_uris: set[str] | None = None,
        access_token_lifetime: int = 3599,
    ) -> None:
        self.client_id = client_id or f"{uuid.uuid4().hex[:12]}.apps.googleusercontent.com"
        self.client_secret = client_secret or f"GOCSPX-{secrets.token_urlsafe(18)}"
        # None: any absolute http(s) redirect URI is accepted.
        self.redirect_uris = redirect_uris
        self.oidc = OpenIdProvider()
        self.reset(account=account, access_token_lifetime=access_token_lifetime)
        app = Starlette(
            routes=[
                Route("/o/oauth2/v2/auth", self._authorize, methods=["GET"]),
                Route("/token", self._token, methods=["POST"]),
                Route("/revoke", self._revoke, methods=["POST"]),
                Route("/userinfo", self._userinfo, methods=["GET", "POST"]),
                Route("/.well-known/openid-configuration", self._discovery, methods=["GET"]),
                Route("/oauth2/v3/certs", self._certs, methods=["GET"]),
                Route("/calendar/v3/freeBusy", self._free_busy, methods=["POST"]),
                Route(
                    "/calendar/v3/calendars/{calendar_id}/events",
                    self._events,
                    methods=["GET", "POST"],
                ),
                Route(
                    "/calendar/v3/calendars/{calendar_id}/events/{event_id}",
                    self._event,
                    methods=["GET", "PATCH", "PUT", "DELETE"],
                ),
            ]
        )
        super().__init__(app)

    def reset(self, *, account: str | None = None, access_token_lifetime: int = 3599) -> None:
        """Forget every grant, event, recorded request and scripted failure (same client)."""
        self.account = account or f"calendar-owner-{uuid.uuid4().hex[:8]}@example.com"
        self.access_token_lifetime = access_token_lifetime
        # Refresh answers carry a new refresh token too (Google normally does not).
        self.rotate_refresh_tokens = False
        self.requests: list[RecordedRequest] = []
        self.revoked: list[str] = []
        self.grants: dict[str, Grant] = {}  # by refresh token
        self.access_tokens: dict[str, AccessToken] = {}
        self.codes: dict[str, _AuthorizationCode] = {}
        self.consents: dict[str, _Consent] = {}
        self.calendars: dict[tuple[str, str], _Calendar] = {}
        self._calendar_failures: deque[_ScriptedFailure] = deque()
        self._token_failures: deque[tuple[str | None, int, dict[str, Any]]] = deque()
        self.oidc.reset()

    def settings_overrides(self) -> dict[str, Any]:
        """For `Settings.model_copy(update=...)`: the client and every Google endpoint."""
        return {
            "google_client_id": self.client_id,
            "google_client_secret": SecretStr(self.client_secret),
            "google_authorize_url": f"{self.base_url}/o/oauth2/v2/auth",
            "google_token_url": f"{self.base_url}/token",
            "google_revoke_url": f"{self.base_url}/revoke",
            "google_userinfo_url": f"{self.base_url}/userinfo",
            "google_calendar_api_url": f"{self.base_url}/calendar/v3",
            "google_oidc_discovery_url": f"{self.base_url}/.well-known/openid-configuration",
        }

    # ------------------------------------------------------------------ test controls

    async def consent(
        self,
        authorization_url: str,
        *,
        approve: bool = True,
        account: str | None = None,
        sign_in: SignInAccount | None = None,
    ) -> str:
        """Open the authorization URL like a browser and answer the consent screen.

        Returns where Google would redirect: `redirect_uri?code=...&state=...`, or
        `redirect_uri?error=access_denied&state=...` when `approve` is False. With `sign_in`,
        that Google account is the one the ID token names.
        """
        import httpx

        assert authorization_url.startswith(f"{self.base_url}/o/oauth2/v2/auth?"), authorization_url
        async with httpx.AsyncClient(timeout=DEADLINE) as http:
            page = await http.get(authorization_url)
        if page.status_code != 200:
            raise FakeGoogleError(f"authorization refused: {page.status_code} {page.text}")
        consent = self.consents.pop(page.headers["x-fake-consent-id"])
        if not approve:
            query = {"error": "access_denied", "state": consent.state}
        else:
            code = f"4/0A{secrets.token_urlsafe(32)}"
            self.codes[code] = _AuthorizationCode(
                code=code,
                client_id=consent.client_id,
                redirect_uri=consent.redirect_uri,
                scope=consent.scope,
                code_challenge=consent.code_challenge,
                account=account or (sign_in.email if sign_in else self.account),
                expires_at=time.time() + CODE_TTL_SECONDS,
                nonce=consent.params.get("nonce"),
                sign_in=sign_in,
            )
            query = {"code": code, "state": consent.state, "scope": consent.scope}
        separator = "&" if "?" in consent.redirect_uri else "?"
        return f"{consent.redirect_uri}{separator}{urlencode(query)}"

    def fail_calendar(
        self,
        status: int,
        *,
        reason: str | None = None,
        message: str | None = None,
        times: int = 1,
        retry_after: str | None = "0",
    ) -> None:
        """The next `times` Calendar requests answer `status` (before any other check)."""
        default_reason, default_message, _ = _CALENDAR_ERRORS.get(status, ("backendError", "", ""))
        for _ in range(times):
            self._calendar_failures.append(
                _ScriptedFailure(
                    status,
                    reason or default_reason,
                    message or default_message,
                    retry_after if status in (429, 503) else None,
                )
            )

    def fail_token(
        self,
        status: int = 400,
        *,
        error: str = "invalid_grant",
        description: str | None = None,
        times: int = 1,
        grant_type: str | None = None,
    ) -> None:
        """The next `times` token requests (of `grant_type`, if given) answer `status`."""
        body = {"error": error, "error_description": description or error}
        for _ in range(times):
            self._token_failures.append((grant_type, status, body))

    def expire_access_tokens(self, account: str | None = None) -> None:
        """Every access token (of `account`) expires now, server side."""
        for token in self.access_tokens.values():
            if account is None or token.grant.account == account:
                token.expires_at = time.time() - 1

    def revoke_grant(self, refresh_token: str) -> None:
        """The account owner withdraws access in their Google account settings."""
        self.grants[refresh_token].revoked = True

    def grant_for(self, token: str) -> Grant | None:
        """The grant behind a refresh or access token."""
        if token in self.grants:
            return self.grants[token]
        access = self.access_tokens.get(token)
        return access.grant if access else None

    def valid_access_tokens(self, account: str | None = None) -> list[str]:
        return [
            t.token
            for t in self.access_tokens.values()
            if t.valid() and (account is None or t.grant.account == account)
        ]

    def token_requests(self, grant_type: str | None = None) -> list[RecordedRequest]:
        return [
            r
            for r in self.requests
            if r.path == "/token" and (grant_type is None or r.grant_type == grant_type)
        ]

    def calendar_requests(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path.startswith("/calendar/v3/")]

    def add_event(
        self,
        *,
        start: datetime,
        end: datetime,
        summary: str = "Busy",
        account: str | None = None,
        calendar_id: str = "primary",
        **extra: Any,
    ) -> dict[str, Any]:
        """Put an event straight into a calendar (what the owner booked themselves)."""
        zone = getattr(start.tzinfo, "key", "UTC")
        event = self._new_event(
            account or self.account,
            {
                "summary": summary,
                "start": {"dateTime": start.isoformat(), "timeZone": zone},
                "end": {"dateTime": end.isoformat(), "timeZone": zone},
                **extra,
            },
        )
        self._calendar(account or self.account, calendar_id).events[event["id"]] = event
        return event

    def events(self, account: str | None = None, calendar_id: str = "primary") -> list[dict]:
        calendar = self._calendar(account or self.account, calendar_id)
        return sorted(calendar.events.values(), key=lambda e: e["start"].get("dateTime", ""))

    def event(
        self, event_id: str, *, account: str | None = None, calendar_id: str = "primary"
    ) -> dict[str, Any] | None:
        return self._calendar(account or self.account, calendar_id).events.get(event_id)

    # ------------------------------------------------------------------ plumbing

    async def _record(self, request: Request) -> RecordedRequest:
        raw = await request.body()
        body: Any = None
        content_type = request.headers.get("content-type", "")
        if raw:
            if "json" in content_type:
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = raw.decode("utf-8", "replace")
            elif "x-www-form-urlencoded" in content_type:
                body = {k: v[-1] for k, v in parse_qs(raw.decode(), keep_blank_values=True).items()}
            else:
                body = raw.decode("utf-8", "replace")
        recorded = RecordedRequest(
            method=request.method,
            path=request.url.path,
            query=dict(request.query_params),
            headers={k.lower(): v for k, v in request.headers.items()},
            body=body,
        )
        self.requests.append(recorded)
        return recorded

    def _calendar(self, account: str, calendar_id: str) -> _Calendar:
        key = (account, account if calendar_id == "primary" else calendar_id)
        return self.calendars.setdefault(key, _Calendar())

    def _bearer(self, request: Request) -> AccessToken | None:
        header = request.headers.get("authorization", "")
        match = re.fullmatch(r"Bearer (\S+)", header)
        if not match:
            return None
        token = self.access_tokens.get(match.group(1))
        return token if token is not None and token.valid() else None

    def _client_auth(self, request: Request, form: dict[str, str]) -> str | None:
        """The authenticated client id (client_secret_basic or client_secret_post)."""
        header = request.headers.get("authorization", "")
        if header.startswith("Basic "):
            try:
                decoded = base64.b64decode(header[6:]).decode()
                client_id, _, secret = decoded.partition(":")
                client_id, secret = unquote(client_id), unquote(secret)
            except ValueError:
                return None
        else:
            client_id, secret = form.get("client_id", ""), form.get("client_secret", "")
        if client_id == self.client_id and secrets.compare_digest(secret, self.client_secret):
            return client_id
        return None

    def _mint_access_token(self, grant: Grant) -> AccessToken:
        token = AccessToken(
            token=f"ya29.fake-{secrets.token_urlsafe(32)}",
            grant=grant,
            expires_at=time.time() + self.access_token_lifetime,
        )
        self.access_tokens[token.token] = token
        # Tokens Google issues must never leave our server (tests/support/secret_scan.py).
        SCANNER.plant(token.token, "Google access token", anywhere=True)
        SCANNER.plant(grant.refresh_token, "Google refresh token", anywhere=True)
        return token

    def _new_event(self, account: str, body: dict[str, Any]) -> dict[str, Any]:
        now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        event_id = _event_id()
        return {
            "kind": "calendar#event",
            "etag": f'"{secrets.randbits(48)}"',
            "id": event_id,
            "status": "confirmed",
            "htmlLink": f"https://www.google.com/calendar/event?eid={event_id}",
            "created": now,
            "updated": now,
            "creator": {"email": account, "self": True},
            "organizer": {"email": account, "self": True},
            "iCalUID": f"{event_id}@google.com",
            "sequence": 0,
            "reminders": {"useDefault": True},
            "eventType": "default",
            **body,
        }

    # ------------------------------------------------------------------ OAuth endpoints

    async def _authorize(self, request: Request) -> Response:
        recorded = await self._record(request)
        params = recorded.query

        def refuse(error: str, description: str) -> Response:
            recorded.status = 400
            return PlainTextResponse(f"Error 400: {error}\n{description}", status_code=400)

        if params.get("client_id") != self.client_id:
            recorded.status = 401
            return PlainTextResponse("Error 401: invalid_client", status_code=401)
        redirect_uri = params.get("redirect_uri", "")
        parts = urlsplit(redirect_uri)
        if self.redirect_uris is not None and redirect_uri not in self.redirect_uris:
            return refuse("redirect_uri_mismatch", redirect_uri)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            return refuse("redirect_uri_mismatch", redirect_uri)
        if params.get("response_type") != "code":
            return refuse("unsupported_response_type", params.get("response_type", ""))
        if not params.get("scope"):
            return refuse("invalid_request", "Missing required parameter: scope")
        if not params.get("state"):
            return refuse("invalid_request", "Missing required parameter: state")
        challenge = params.get("code_challenge", "")
        if not re.fullmatch(r"[A-Za-z0-9_\-]{43,128}", challenge):
            return refuse("invalid_request", "Missing or invalid code_challenge")
        if params.get("code_challenge_method") != "S256":
            return refuse("invalid_request", "code_challenge_method must be S256")
        consent_id = secrets.token_urlsafe(12)
        self.consents[consent_id] = _Consent(
            client_id=self.client_id,
            redirect_uri=redirect_uri,
            scope=params["scope"],
            state=params["state"],
            code_challenge=challenge,
            params=params,
        )
        recorded.status = 200
        return HTMLResponse(
            f"<html><body><h1>Choose an account</h1><p>{self.account}</p></body></html>",
            headers={"x-fake-consent-id": consent_id},
        )

    async def _token(self, request: Request) -> Response:
        recorded = await self._record(request)
        form = recorded.body if isinstance(recorded.body, dict) else {}

        def answer(status: int, body: dict[str, Any]) -> Response:
            recorded.status = status
            return JSONResponse(body, status_code=status, headers={"cache-control": "no-store"})

        grant_type = form.get("grant_type")
        if self._token_failures and self._token_failures[0][0] in (None, grant_type):
            _, status, body = self._token_failures.popleft()
            return answer(status, body)
        if self._client_auth(request, form) is None:
            return answer(401, {"error": "invalid_client", "error_description": "Unauthorized"})
        if grant_type == "authorization_code":
            code = self.codes.get(form.get("code", ""))
            verifier = form.get("code_verifier", "")
            if (
                code is None
                or code.used
                or code.expires_at < time.time()
                or code.redirect_uri != form.get("redirect_uri")
                or not verifier
                or s256(verifier) != code.code_challenge
            ):
                if code is not None:
                    code.used = True
                return answer(400, {"error": "invalid_grant", "error_description": "Bad Request"})
            code.used = True
            grant = Grant(
                account=code.account,
                client_id=code.client_id,
                scope=code.scope,
                refresh_token=f"1//fake-{secrets.token_urlsafe(32)}",
            )
            self.grants[grant.refresh_token] = grant
            access = self._mint_access_token(grant)
            identity = {}
            if "openid" in code.scope.split():
                identity["id_token"] = self.oidc.id_token(
                    client_id=code.client_id,
                    account=code.sign_in or SignInAccount(email=code.account),
                    nonce=code.nonce,
                    access_token=access.token,
                )
            return answer(
                200,
                {
                    "access_token": access.token,
                    "expires_in": self.access_token_lifetime,
                    "refresh_token": grant.refresh_token,
                    "scope": grant.scope,
                    "token_type": "Bearer",
                    **identity,
                },
            )
        if grant_type == "refresh_token":
            grant = self.grants.get(form.get("refresh_token", ""))
            if grant is None or grant.revoked:
                return answer(
                    400,
                    {
                        "error": "invalid_grant",
                        "error_description": "Token has been expired or revoked.",
                    },
                )
            body = {}
            if self.rotate_refresh_tokens:
                del self.grants[grant.refresh_token]
                grant.refresh_token = f"1//fake-{secrets.token_urlsafe(32)}"
                self.grants[grant.refresh_token] = grant
                body["refresh_token"] = grant.refresh_token
            access = self._mint_access_token(grant)
            return answer(
                200,
                {
                    "access_token": access.token,
                    "expires_in": self.access_token_lifetime,
                    "scope": grant.scope,
                    "token_type": "Bearer",
                    **body,
                },
            )
        return answer(400, {"error": "unsupported_grant_type", "error_description": "Invalid"})

    async def _revoke(self, request: Request) -> Response:
        recorded = await self._record(request)
        form = recorded.body if isinstance(recorded.body, dict) else {}
        token = form.get("token") or recorded.query.get("token", "")
        grant = self.grant_for(token)
        if grant is None or grant.revoked:
            recorded.status = 400
            return JSONResponse(
                {"error": "invalid_token", "error_description": "Token expired or revoked"},
                status_code=400,
            )
        # Revoking either token ends the whole grant, as Google does.
        grant.revoked = True
        self.revoked.append(token)
        recorded.status = 200
        return JSONResponse({})

    async def _userinfo(self, request: Request) -> Response:
        recorded = await self._record(request)
        access = self._bearer(request)
        if access is None:
            recorded.status = 401
            return JSONResponse(
                {"error": "invalid_request", "error_description": "Invalid Credentials"},
                status_code=401,
            )
        recorded.status = 200
        account = access.grant.account
        return JSONResponse(
            {
                "sub": str(uuid.uuid5(uuid.NAMESPACE_DNS, account).int)[:21],
                "email": account,
                "email_verified": True,
            }
        )

    # ------------------------------------------------------------------ OpenID Connect

    async def _discovery(self, request: Request) -> Response:
        await self._record(request)
        return JSONResponse(
            self.oidc.discovery_document(self.base_url),
            headers={"cache-control": "public, max-age=3600"},
        )

    async def _certs(self, request: Request) -> Response:
        await self._record(request)
        # Google's answer: cacheable for hours, revalidated after.
        return JSONResponse(
            self.oidc.key_set(),
            headers={"cache-control": "public, max-age=22000, must-revalidate, no-transform"},
        )

    # ------------------------------------------------------------------ Calendar v3

    async def _calendar_gate(self, request: Request) -> tuple[RecordedRequest, Any]:
        """Record the request; answer a scripted failure or a 401, else give the token."""
        recorded = await self._record(request)
        if self._calendar_failures:
            failure = self._calendar_failures.popleft()
            recorded.status = failure.status
            response = google_error(failure.status, failure.reason, failure.message)
            if failure.retry_after is not None:
                response.headers["retry-after"] = failure.retry_after
            return recorded, response
        access = self._bearer(request)
        if access is None:
            recorded.status = 401
            return recorded, google_error(
                401,
                "authError",
                "Request had invalid authentication credentials. Expected OAuth 2 access "
                "token, login cookie or other valid authentication credential.",
            )
        return recorded, access

    def _done(self, recorded: RecordedRequest, response: Response) -> Response:
        recorded.status = response.status_code
        return response

    async def _free_busy(self, request: Request) -> Response:
        recorded, access = await self._calendar_gate(request)
        if isinstance(access, Response):
            return access
        body = recorded.body if isinstance(recorded.body, dict) else {}
        try:
            time_min, time_max = parse_time(body["timeMin"]), parse_time(body["timeMax"])
        except (KeyError, TypeError, ValueError):
            return self._done(recorded, google_error(400, "required", "Missing timeMin/timeMax."))
        if time_max <= time_min:
            return self._done(
                recorded, google_error(400, "timeRangeEmpty", "The specified time range is empty.")
            )
        try:
            zone = ZoneInfo(body.get("timeZone") or "UTC")
        except (KeyError, ValueError):
            return self._done(recorded, google_error(400, "invalid", "Invalid time zone."))
        calendars: dict[str, Any] = {}
        for item in body.get("items") or []:
            calendar_id = item.get("id", "")
            if calendar_id not in ("primary", access.grant.account):
                calendars[calendar_id] = {
                    "errors": [{"domain": "global", "reason": "notFound"}],
                    "busy": [],
                }
                continue
            calendars[calendar_id] = {
                "busy": [
                    {"start": _format(start, zone), "end": _format(end, zone)}
                    for start, end in self._busy(
                        access.grant.account, calendar_id, time_min, time_max
                    )
                ]
            }
        return self._done(
            recorded,
            JSONResponse(
                {
                    "kind": "calendar#freeBusy",
                    "timeMin": _format(time_min, UTC),
                    "timeMax": _format(time_max, UTC),
                    "calendars": calendars,
                }
            ),
        )

    def _busy(
        self, account: str, calendar_id: str, time_min: datetime, time_max: datetime
    ) -> list[tuple[datetime, datetime]]:
        """Opaque, confirmed events overlapping the window: clipped to it and merged."""
        intervals = []
        for event in self._calendar(account, calendar_id).events.values():
            if event.get("status") == "cancelled" or event.get("transparency") == "transparent":
                continue
            interval = _event_interval(event)
            if interval and interval[0] < time_max and interval[1] > time_min:
                intervals.append((max(interval[0], time_min), min(interval[1], time_max)))
        merged: list[tuple[datetime, datetime]] = []
        for start, end in sorted(intervals):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        return merged

    def _own_calendar(self, access: AccessToken, calendar_id: str) -> _Calendar | None:
        if unquote(calendar_id) not in ("primary", access.grant.account):
            return None
        return self._calendar(access.grant.account, unquote(calendar_id))

    async def _events(self, request: Request) -> Response:
        recorded, access = await self._calendar_gate(request)
        if isinstance(access, Response):
            return access
        calendar = self._own_calendar(access, request.path_params["calendar_id"])
        if calendar is None:
            return self._done(recorded, google_error(404))
        if request.method == "POST":
            body = recorded.body if isinstance(recorded.body, dict) else None
            problem = _event_problem(body)
            if problem:
                return self._done(recorded, google_error(400, *problem))
            event = self._new_event(access.grant.account, body)  # type: ignore[arg-type]
            calendar.events[event["id"]] = event
            return self._done(recorded, JSONResponse(event))
        query = recorded.query
        try:
            time_min = parse_time(query["timeMin"]) if "timeMin" in query else None
            time_max = parse_time(query["timeMax"]) if "timeMax" in query else None
            max_results = int(query.get("maxResults", "250"))
            constraints = [
                (scope, *_property_constraint(value))
                for scope, parameter in (
                    ("private", "privateExtendedProperty"),
                    ("shared", "sharedExtendedProperty"),
                )
                for value in request.query_params.getlist(parameter)
            ]
        except ValueError:
            return self._done(recorded, google_error(400, "badRequest", "Bad Request"))
        items = []
        for event in calendar.events.values():
            interval = _event_interval(event)
            if interval is None:
                continue
            if time_min and interval[1] <= time_min:
                continue
            if time_max and interval[0] >= time_max:
                continue
            properties = event.get("extendedProperties") or {}
            if any(
                (properties.get(scope) or {}).get(name) != value
                for scope, name, value in constraints
            ):
                continue
            items.append(event)
        items.sort(key=lambda e: _event_interval(e)[0])  # type: ignore[index]
        return self._done(
            recorded,
            JSONResponse(
                {
                    "kind": "calendar#events",
                    "summary": access.grant.account,
                    "timeZone": query.get("timeZone", "UTC"),
                    "items": items[:max_results],
                }
            ),
        )

    async def _event(self, request: Request) -> Response:
        recorded, access = await self._calendar_gate(request)
        if isinstance(access, Response):
            return access
        calendar = self._own_calendar(access, request.path_params["calendar_id"])
        if calendar is None:
            return self._done(recorded, google_error(404))
        event_id = unquote(request.path_params["event_id"])
        event = calendar.events.get(event_id)
        if event is None:
            status = 410 if event_id in calendar.deleted else 404
            return self._done(recorded, google_error(status))
        if request.method == "GET":
            return self._done(recorded, JSONResponse(event))
        if request.method == "DELETE":
            del calendar.events[event_id]
            calendar.deleted.add(event_id)
            return self._done(recorded, Response(status_code=204))
        changes = recorded.body if isinstance(recorded.body, dict) else None
        if changes is None:
            return self._done(recorded, google_error(400, "badRequest", "Bad Request"))
        updated = (
            {
                **event,
                **changes,
                **_patched_properties(event, changes.get("extendedProperties")),
            }
            if request.method == "PATCH"
            else {
                **{
                    k: event[k]
                    for k in ("kind", "id", "created", "creator", "organizer", "iCalUID")
                },
                **changes,
            }
        )
        if updated.get("extendedProperties") == {}:
            del updated["extendedProperties"]
        problem = _event_problem(updated)
        if problem:
            return self._done(recorded, google_error(400, *problem))
        updated["sequence"] = int(event.get("sequence", 0)) + 1
        updated["updated"] = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        calendar.events[event_id] = updated
        return self._done(recorded, JSONResponse(updated))


def _property_constraint(value: str) -> tuple[str, str]:
    """`propertyName=value` of privateExtendedProperty / sharedExtendedProperty."""
    name, equals, wanted = value.partition("=")
    if not name or not equals:
        raise ValueError(value)
    return name, wanted


def _patched_properties(event: dict[str, Any], changes: Any) -> dict[str, Any]:
    """A patch sets extended properties key by key and deletes those it sets to null, leaving
    the others (https://developers.google.com/calendar/api/guides/extended-properties)."""
    if not isinstance(changes, dict):
        return {}
    merged: dict[str, Any] = {}
    current = event.get("extendedProperties") or {}
    for scope in ("private", "shared"):
        values = {**(current.get(scope) or {}), **(changes.get(scope) or {})}
        values = {key: value for key, value in values.items() if value is not None}
        if values:
            merged[scope] = values
    return {"extendedProperties": merged}


def _event_problem(event: dict[str, Any] | None) -> tuple[str, str] | None:
    if not isinstance(event, dict):
        return ("badRequest", "Bad Request")
    for key in ("start", "end"):
        part = event.get(key)
        if not isinstance(part, dict) or not ("dateTime" in part or "date" in part):
            return ("required", f"Missing {key} time.")
    interval = _event_interval(event)
    if interval is None and "date" not in event["start"]:
        return ("invalid", "Invalid start or end time.")
    if interval is not None and interval[1] <= interval[0]:
        return ("timeRangeEmpty", "The specified time range is empty.")
    return None


def _format(moment: datetime, zone: Any) -> str:
    text = moment.astimezone(zone).isoformat()
    return text.replace("+00:00", "Z")
