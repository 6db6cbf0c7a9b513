"""What the Google sign-in tests share: the API wired to the fake Google with sign-in on, a
browser (its cookie jar) that runs the flow, and the operations.

The API runs in-process (conftest `app`) on the session server's database, so the
factories' rows are its. Its httpx client is the browser: the cookie the start sets is in
its jar and goes back with the callback, as a browser's would (another browser: another jar).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from pydantic import SecretStr

from core.settings import Settings
from tests.fakes.google import FakeGoogle
from tests.fakes.google_oidc import SignInAccount
from tests.support.factories import unique_email
from tests.support.graphql import GraphQLClient
from tests.support.secret_scan import SCANNER

DASHBOARD_CALLBACK = "https://dashboard.test/auth/google/done"
OTHER_DASHBOARD_CALLBACK = "https://dashboard.test/settings/sign-in?tab=google"

AUTH_CODE_EXCHANGE = """
mutation Exchange($input: AuthCodeExchangeInput!) {
  authCodeExchange(input: $input) {
    user { id email }
    accessToken refreshToken
    errors { field message code }
  }
}
"""

ME_SIGN_IN_METHODS = """
query { me { id email emailVerified hasPassword
  googleIdentities { subject email linkedAt lastSignInAt } } }
"""

AUTH_PROVIDERS = "query { authProviders }"

GOOGLE_IDENTITY_LINK_START = """
mutation Link($input: GoogleIdentityLinkStartInput!) {
  googleIdentityLinkStart(input: $input) { authorizationUrl errors { field message code } }
}
"""

GOOGLE_IDENTITY_UNLINK = """
mutation Unlink($input: GoogleIdentityUnlinkInput!) {
  googleIdentityUnlink(input: $input) {
    user { id hasPassword googleIdentities { subject } }
    errors { field message code }
  }
}
"""

PASSWORD_SET = """
mutation PasswordSet($input: PasswordSetInput!) {
  passwordSet(input: $input) { user { id hasPassword } errors { field message code } }
}
"""


def sign_in_settings(base: Settings, google: FakeGoogle, **changes: Any) -> Settings:
    """Sign-in with Google on, with the calendar tool's client reused (same id, its secret)."""
    return base.model_copy(
        update={
            **google.settings_overrides(),
            "google_signin_client_id": google.client_id,
            "google_signin_allowed_redirect_urls": [DASHBOARD_CALLBACK, OTHER_DASHBOARD_CALLBACK],
            **changes,
        }
    )


def query_of(url: str) -> dict[str, str]:
    return {key: values[-1] for key, values in parse_qs(urlsplit(url).query).items()}


def without_query(url: str) -> str:
    return urlsplit(url)._replace(query="").geturl()


def google_account(**changes: Any) -> SignInAccount:
    return SignInAccount(email=changes.pop("email", None) or unique_email("google"), **changes)


@dataclass
class SignInApp:
    """The in-process API whose Google is the fake, with sign-in with Google on."""

    settings: Settings
    http: httpx.AsyncClient
    gql: GraphQLClient
    google: FakeGoogle

    async def start(
        self, redirect: str = DASHBOARD_CALLBACK, *, state: str | None = None
    ) -> httpx.Response:
        """The browser opening GET /auth/google/start?redirect=...[&state=...]"""
        params = {"redirect": redirect}
        if state is not None:
            params["state"] = state
        return await self.http.get("/auth/google/start", params=params)

    async def authorization_url(
        self, redirect: str = DASHBOARD_CALLBACK, *, state: str | None = None
    ) -> str:
        response = await self.start(redirect, state=state)
        assert response.status_code == 303, response.text
        return response.headers["location"]

    async def consented(self, account: SignInAccount, *, redirect: str = DASHBOARD_CALLBACK) -> str:
        """Start in this browser and consent at Google: where Google sends the browser."""
        return await self.google.consent(await self.authorization_url(redirect), sign_in=account)

    async def callback(self, url: str) -> httpx.Response:
        """The browser following Google's redirect to GET /auth/google/callback."""
        return await self.http.get(url)

    async def sign_in(
        self, account: SignInAccount, *, redirect: str = DASHBOARD_CALLBACK
    ) -> httpx.Response:
        """The whole browser part: start, consent, callback (not followed)."""
        return await self.callback(await self.consented(account, redirect=redirect))

    async def code(self, account: SignInAccount) -> str:
        """The one-time code a successful sign-in brings back to the dashboard."""
        response = await self.sign_in(account)
        assert response.status_code == 303, response.text
        query = query_of(response.headers["location"])
        assert "code" in query, query
        # Shown once, in that redirect: it must appear in nothing recorded after it.
        SCANNER.plant(query["code"], "one-time sign-in code", anywhere=False)
        return query["code"]

    async def exchange(self, code: str) -> dict[str, Any]:
        return await self.gql.payload(AUTH_CODE_EXCHANGE, {"input": {"code": code}})

    async def tokens(self, account: SignInAccount) -> dict[str, Any]:
        """Sign in with Google and exchange the code: the authCodeExchange payload."""
        payload = await self.exchange(await self.code(account))
        assert payload["errors"] == [], payload
        return payload

    def other_browser(self) -> httpx.Cookies:
        """Switch to another browser (an empty cookie jar); returns this browser's jar."""
        jar = httpx.Cookies(self.http.cookies)
        self.http.cookies.clear()
        return jar

    def back_to(self, jar: httpx.Cookies) -> None:
        self.http.cookies.clear()
        self.http.cookies.update(jar)


def own_secret(google: FakeGoogle) -> dict[str, Any]:
    """Settings naming the sign-in client's secret itself (no reuse of the calendar's)."""
    return {"google_signin_client_secret": SecretStr(google.client_secret)}
