"""A full sign-in with Google: start, Google, callback, and the one-time code swapped for the
session tokens signIn gives; a first sign-in creates the account."""

from __future__ import annotations

from http.cookies import SimpleCookie

from core.security.tokens import digest
from orm.models import AuthSession, GoogleIdentity, GoogleSignInState, OneTimeToken, User
from tests.fakes.google import s256
from tests.google_sign_in.helpers import (
    AUTH_CODE_EXCHANGE,
    DASHBOARD_CALLBACK,
    ME_SIGN_IN_METHODS,
    SignInApp,
    google_account,
    query_of,
    without_query,
)
from tests.support.ids import global_id
from tests.support.operations import TOKEN_REFRESH


async def test_a_first_sign_in_creates_a_verified_account_and_yields_working_tokens(
    app: SignInApp,
):
    # given
    account = google_account(name="Grace Hopper")

    # when
    payload = await app.tokens(account)

    # then: the usual pair, for a new user whose address Google vouched for
    assert payload["user"]["email"] == account.email
    me = (await app.gql.data(ME_SIGN_IN_METHODS, token=payload["accessToken"]))["me"]
    assert me["email"] == account.email
    assert me["emailVerified"] is True
    assert me["hasPassword"] is False
    assert [(i["subject"], i["email"]) for i in me["googleIdentities"]] == [
        (account.subject, account.email)
    ]
    assert me["googleIdentities"][0]["lastSignInAt"] is not None
    user = await User.get(email=account.email)
    assert user.full_name == "Grace Hopper"
    assert user.password_hash == ""
    # and the refresh token rotates like any other
    refreshed = await app.gql.payload(
        TOKEN_REFRESH, {"input": {"refreshToken": payload["refreshToken"]}}
    )
    assert refreshed["errors"] == []


async def test_the_callback_brings_back_only_a_one_time_code(app: SignInApp):
    # given
    account = google_account()

    # when
    response = await app.sign_in(account)

    # then: to the dashboard, with a code and nothing else; no token in the URL
    assert response.status_code == 303
    location = response.headers["location"]
    assert without_query(location) == DASHBOARD_CALLBACK
    query = query_of(location)
    assert set(query) == {"code"}
    assert query["code"].startswith("vagc_")
    assert response.headers["cache-control"] == "no-store"
    # the code is kept as a digest only, for 60 seconds
    row = await OneTimeToken.get(user__email=account.email, purpose="google_sign_in")
    assert row.token_hash != query["code"]
    assert 59 <= (row.expires_at - row.created_at).total_seconds() <= 60


async def test_signing_in_again_signs_in_the_same_user_in_a_new_session(app: SignInApp):
    # given
    account = google_account()
    first = await app.tokens(account)

    # when
    second = await app.tokens(account)

    # then
    assert second["user"]["id"] == first["user"]["id"]
    assert second["refreshToken"] != first["refreshToken"]
    user = await User.get(email=account.email)
    assert await GoogleIdentity.filter(user_id=user.id).count() == 1
    assert await AuthSession.filter(user_id=user.id).count() == 2


async def test_the_session_records_the_client_like_sign_in_does(app: SignInApp):
    # given
    code = await app.code(google_account())

    # when
    response = await app.http.post(
        "/graphql",
        json={
            "query": AUTH_CODE_EXCHANGE,
            "variables": {"input": {"code": code}},
        },
        headers={"user-agent": "Dashboard/1.0 (test)"},
    )

    # then
    assert response.status_code == 200
    user_id = response.json()["data"]["authCodeExchange"]["user"]["id"]
    session = await AuthSession.get(user_agent="Dashboard/1.0 (test)")
    assert global_id("User", session.user_id) == user_id
    assert session.client_address == "127.0.0.1"


async def test_the_start_asks_google_for_openid_with_pkce_and_a_nonce(app: SignInApp):
    # when
    response = await app.start()

    # then: to Google's authorization endpoint (from the discovery document)
    assert response.status_code == 303
    url = response.headers["location"]
    assert url.startswith(f"{app.google.base_url}/o/oauth2/v2/auth?")
    params = query_of(url)
    assert params["client_id"] == app.google.client_id
    assert params["redirect_uri"] == "http://testserver.local/auth/google/callback"
    assert params["response_type"] == "code"
    assert params["scope"].split() == ["openid", "email", "profile"]
    assert params["code_challenge_method"] == "S256"
    assert params["prompt"] == "select_account"
    # the state's row keeps the verifier behind the challenge and the nonce Google must echo
    row = await GoogleSignInState.get(oidc_nonce=params["nonce"])
    assert s256(row.code_verifier) == params["code_challenge"]
    assert row.oidc_nonce == params["nonce"]
    assert row.redirect_url == DASHBOARD_CALLBACK
    assert row.link_user_id is None
    assert params["state"] not in repr(await GoogleSignInState.all().values())


async def test_the_start_binds_the_flow_to_the_browser_with_a_cookie(app: SignInApp):
    # when
    response = await app.start()

    # then
    jar: SimpleCookie = SimpleCookie()
    for header in response.headers.get_list("set-cookie"):
        jar.load(header)
    [(name, cookie)] = jar.items()
    assert name.startswith("va_oauth_")
    assert cookie["httponly"] is True
    assert cookie["samesite"].lower() == "lax"
    assert cookie["path"] == "/auth/google/callback"
    assert 0 < int(cookie["max-age"]) <= app.settings.oauth_state_ttl_seconds
    # only its digest is kept with the state
    assert await GoogleSignInState.exists(browser_binding_hash=digest(cookie.value))
    assert cookie.value not in repr(await GoogleSignInState.all().values())


async def test_the_dashboards_own_state_comes_back_with_the_outcome(app: SignInApp):
    # given: the dashboard remembers a value of its own (so that it exchanges only codes of
    # sign-ins it started) and passes it to the start
    url = await app.authorization_url(state="tab-7f3a")

    # when
    signed_in = await app.callback(await app.google.consent(url, sign_in=google_account()))
    refused_url = await app.authorization_url(state="tab-9c1d")
    refused = await app.callback(
        await app.google.consent(refused_url, sign_in=google_account(email_verified=False))
    )

    # then
    assert query_of(signed_in.headers["location"])["state"] == "tab-7f3a"
    assert "code" in query_of(signed_in.headers["location"])
    assert query_of(refused.headers["location"]) == {
        "error": "email_not_verified",
        "state": "tab-9c1d",
    }


async def test_an_oversized_dashboard_state_is_refused_at_the_start(app: SignInApp):
    # when
    response = await app.start(state="s" * 257)

    # then
    assert response.status_code == 400
    assert "location" not in response.headers
