"""Starting a sign-in: only to an allowed dashboard URL; with sign-in with Google off, both
routes answer 404 and `authProviders` lists only PASSWORD; the settings that turn it on."""

from __future__ import annotations

import pytest
from pydantic import SecretStr, ValidationError

from core.settings import Settings
from orm.models import GoogleSignInState
from tests.fakes.google import FakeGoogle
from tests.google_sign_in.helpers import (
    AUTH_PROVIDERS,
    DASHBOARD_CALLBACK,
    OTHER_DASHBOARD_CALLBACK,
    SignInApp,
    google_account,
    own_secret,
    query_of,
    sign_in_settings,
    without_query,
)
from tests.support.servers import RunningServer, asgi_client

NOT_ALLOWED = [
    "https://evil.example/auth/google/done",
    # exact match: no prefix, no other path, no added query, no other scheme
    "https://dashboard.test/auth/google/done/../../evil",
    "https://dashboard.test/auth/google/done?next=https://evil.example",
    "http://dashboard.test/auth/google/done",
    "https://dashboard.test.evil.example/auth/google/done",
    "//evil.example",
    "javascript:alert(1)",
]


@pytest.mark.parametrize("redirect", NOT_ALLOWED)
async def test_a_redirect_not_in_the_allowed_list_is_refused_at_the_start(
    app: SignInApp, redirect: str
):
    # given
    before = await GoogleSignInState.all().count()

    # when
    response = await app.start(redirect)

    # then: no redirect anywhere, no cookie, no flow
    assert response.status_code == 400
    assert "location" not in response.headers
    assert "set-cookie" not in response.headers
    assert await GoogleSignInState.all().count() == before
    assert app.google.requests == []


async def test_a_start_without_redirect_is_refused(app: SignInApp):
    # when
    response = await app.http.get("/auth/google/start")

    # then
    assert response.status_code == 400
    assert "location" not in response.headers


async def test_every_allowed_redirect_url_works_and_keeps_its_own_query(app: SignInApp):
    # given
    account = google_account()

    # when
    response = await app.sign_in(account, redirect=OTHER_DASHBOARD_CALLBACK)

    # then: back to that URL, its own query kept, the code added
    location = response.headers["location"]
    assert without_query(location) == without_query(OTHER_DASHBOARD_CALLBACK)
    query = query_of(location)
    assert query["tab"] == "google"
    assert query["code"].startswith("vagc_")


async def test_google_unreachable_at_the_start_sends_the_browser_back_with_an_error(
    server: RunningServer, google: FakeGoogle
):
    # given: the discovery document cannot be fetched (nothing listens there)
    settings = sign_in_settings(
        server.settings,
        google,
        google_oidc_discovery_url="http://127.0.0.1:9/.well-known/openid-configuration",
    )

    # when
    async with asgi_client(settings) as api:
        response = await api.http.get("/auth/google/start", params={"redirect": DASHBOARD_CALLBACK})

    # then
    assert response.status_code == 303
    assert response.headers["location"] == f"{DASHBOARD_CALLBACK}?error=google_unavailable"
    assert "set-cookie" not in response.headers


async def test_without_a_client_id_the_routes_answer_404_and_only_passwords_are_offered(
    server: RunningServer, google: FakeGoogle
):
    # given: the calendar tool's client is configured, sign-in with Google is not
    settings = server.settings.model_copy(update=google.settings_overrides())

    # when
    async with asgi_client(settings) as api:
        start = await api.http.get("/auth/google/start", params={"redirect": DASHBOARD_CALLBACK})
        callback = await api.http.get("/auth/google/callback", params={"code": "c", "state": "s"})
        unknown = await api.http.get("/auth/google/elsewhere")
        providers = await api.gql.data(AUTH_PROVIDERS)

    # then: like any path the API does not serve
    assert start.status_code == callback.status_code == 404
    assert start.text == callback.text == unknown.text
    assert providers == {"authProviders": ["PASSWORD"]}
    assert google.requests == []


async def test_with_a_client_id_google_is_offered_to_anyone(app: SignInApp):
    # when: no token
    providers = await app.gql.data(AUTH_PROVIDERS)

    # then
    assert providers == {"authProviders": ["PASSWORD", "GOOGLE"]}


async def test_a_sign_in_client_of_its_own_works(server: RunningServer, google: FakeGoogle):
    # given: its own secret named (the fake has one client: the same values)
    settings = sign_in_settings(
        server.settings,
        google,
        google_client_id=None,
        google_client_secret=None,
        **own_secret(google),
    )

    # when
    async with asgi_client(settings) as api:
        redirect = await google.consent(
            (
                await api.http.get("/auth/google/start", params={"redirect": DASHBOARD_CALLBACK})
            ).headers["location"],
            sign_in=google_account(),
        )
        response = await api.http.get(redirect)

    # then
    assert "code" in query_of(response.headers["location"])


def test_settings_reuse_the_calendar_clients_secret_for_the_same_client():
    # when
    settings = Settings(
        google_client_id="one.apps.googleusercontent.com",
        google_client_secret="calendar-secret",
        google_signin_client_id="one.apps.googleusercontent.com",
    )

    # then
    assert settings.google_signin_credentials is not None
    client_id, secret = settings.google_signin_credentials
    assert client_id == "one.apps.googleusercontent.com"
    assert secret.get_secret_value() == "calendar-secret"


def test_settings_refuse_a_sign_in_client_without_a_secret():
    # when / then: another client than the calendar's, and no secret of its own
    with pytest.raises(ValidationError, match="GOOGLE_SIGNIN_CLIENT_SECRET"):
        Settings(
            google_client_id="calendar.apps.googleusercontent.com",
            google_client_secret="calendar-secret",
            google_signin_client_id="sign-in.apps.googleusercontent.com",
        )


def test_settings_read_the_allowed_redirects_as_a_comma_separated_list(monkeypatch):
    # given
    monkeypatch.setenv(
        "GOOGLE_SIGNIN_ALLOWED_REDIRECT_URLS",
        "https://app.example.com/auth/done, https://staging.example.com/auth/done",
    )
    monkeypatch.setenv("GOOGLE_SIGNIN_CLIENT_ID", "id.apps.googleusercontent.com")
    monkeypatch.setenv("GOOGLE_SIGNIN_CLIENT_SECRET", "a-secret")

    # when
    settings = Settings()

    # then
    assert settings.google_signin_allowed_redirect_urls == [
        "https://app.example.com/auth/done",
        "https://staging.example.com/auth/done",
    ]
    assert settings.google_signin_credentials == (
        "id.apps.googleusercontent.com",
        SecretStr("a-secret"),
    )
    assert settings.google_oidc_discovery_url == (
        "https://accounts.google.com/.well-known/openid-configuration"
    )
