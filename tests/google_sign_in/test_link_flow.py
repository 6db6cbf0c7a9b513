"""A signed-in user links a Google account: googleIdentityLinkStart hands out Google's URL
for a flow bound to that user and to the browser that asked (its cookie), once."""

from __future__ import annotations

from http.cookies import SimpleCookie

from orm.models import GoogleIdentity, GoogleSignInState, OneTimeToken
from tests.google_sign_in.helpers import (
    DASHBOARD_CALLBACK,
    GOOGLE_IDENTITY_LINK_START,
    ME_SIGN_IN_METHODS,
    SignInApp,
    google_account,
    query_of,
    without_query,
)
from tests.support.graphql import error_codes, payload_codes


async def link_start(app: SignInApp, token: str, redirect: str = DASHBOARD_CALLBACK):
    return await app.gql.raw(
        GOOGLE_IDENTITY_LINK_START, {"input": {"redirectUrl": redirect}}, token=token
    )


async def test_a_signed_in_user_links_a_google_account(app: SignInApp, make):
    # given: an account whose Google address differs from its own
    user = await make.account()
    account = google_account()
    started = await link_start(app, user.token)
    url = started.json()["data"]["googleIdentityLinkStart"]["authorizationUrl"]

    # when
    response = await app.callback(await app.google.consent(url, sign_in=account))

    # then: back to the dashboard with `linked`, no code, no new user
    assert response.status_code == 303
    assert without_query(response.headers["location"]) == DASHBOARD_CALLBACK
    assert query_of(response.headers["location"]) == {"linked": "google"}
    assert not await OneTimeToken.exists(purpose="google_sign_in", user_id=user.user.id)
    me = (await app.gql.data(ME_SIGN_IN_METHODS, token=user.token))["me"]
    assert [(i["subject"], i["email"]) for i in me["googleIdentities"]] == [
        (account.subject, account.email)
    ]
    assert me["googleIdentities"][0]["lastSignInAt"] is None
    # and signing in with it now signs in that user
    payload = await app.tokens(account)
    assert payload["user"]["id"] == user.user_id


async def test_the_link_start_sets_the_browser_cookie_and_binds_the_user(app: SignInApp, make):
    # given
    user = await make.account()

    # when
    started = await link_start(app, user.token)

    # then
    jar: SimpleCookie = SimpleCookie()
    for header in started.headers.get_list("set-cookie"):
        jar.load(header)
    [(name, cookie)] = jar.items()
    assert name.startswith("va_oauth_")
    assert cookie["httponly"] is True
    assert cookie["path"] == "/auth/google/callback"
    nonce = query_of(started.json()["data"]["googleIdentityLinkStart"]["authorizationUrl"])["nonce"]
    row = await GoogleSignInState.get(oidc_nonce=nonce)
    assert row.link_user_id == user.user.id


async def test_a_link_url_opened_in_another_browser_links_nothing(app: SignInApp, make):
    # given: the attacker starts a link to their own account and gets the victim to consent
    attacker = await make.account()
    started = await link_start(app, attacker.token)
    url = started.json()["data"]["googleIdentityLinkStart"]["authorizationUrl"]
    app.other_browser()
    victim = google_account()

    # when: the victim's browser, which never got the cookie, comes back
    response = await app.callback(await app.google.consent(url, sign_in=victim))

    # then
    assert response.status_code == 400
    assert "location" not in response.headers
    assert not await GoogleIdentity.exists(subject=victim.subject)
    assert app.google.token_requests() == []


async def test_a_link_works_once(app: SignInApp, make):
    # given
    user = await make.account()
    started = await link_start(app, user.token)
    url = started.json()["data"]["googleIdentityLinkStart"]["authorizationUrl"]
    redirect = await app.google.consent(url, sign_in=google_account())
    assert query_of((await app.callback(redirect)).headers["location"]) == {"linked": "google"}

    # when
    again = await app.callback(redirect)

    # then
    assert again.status_code == 400


async def test_a_google_account_linked_to_someone_else_is_refused(app: SignInApp, make):
    # given: the Google account already signs in another user
    account = google_account()
    await app.tokens(account)
    user = await make.account()
    started = await link_start(app, user.token)
    url = started.json()["data"]["googleIdentityLinkStart"]["authorizationUrl"]

    # when
    response = await app.callback(await app.google.consent(url, sign_in=account))

    # then
    assert query_of(response.headers["location"]) == {"error": "google_account_in_use"}
    identity = await GoogleIdentity.get(subject=account.subject)
    assert identity.user_id != user.user.id


async def test_linking_again_the_same_google_account_is_fine(app: SignInApp, make):
    # given
    user = await make.account()
    account = google_account()
    for _ in range(2):
        started = await link_start(app, user.token)
        url = started.json()["data"]["googleIdentityLinkStart"]["authorizationUrl"]

        # when
        response = await app.callback(await app.google.consent(url, sign_in=account))

        # then
        assert query_of(response.headers["location"]) == {"linked": "google"}
    assert await GoogleIdentity.filter(user_id=user.user.id).count() == 1


async def test_the_link_start_refuses_a_redirect_not_allowed(app: SignInApp, make):
    # given
    user = await make.account()

    # when
    started = await link_start(app, user.token, "https://evil.example/done")

    # then
    payload = started.json()["data"]["googleIdentityLinkStart"]
    assert payload["authorizationUrl"] is None
    assert payload["errors"] == [
        {
            "field": "redirectUrl",
            "message": "This address is not one the platform may send you back to.",
            "code": "REDIRECT_NOT_ALLOWED",
        }
    ]
    assert "set-cookie" not in started.headers
    assert not await GoogleSignInState.exists(link_user_id=user.user.id)


async def test_the_link_start_needs_a_signed_in_person(app: SignInApp, make):
    # given
    tenant = await make.tenant()
    api_key = await make.api_key(tenant, "org_admin")

    # when
    anonymous = await app.gql.execute(
        GOOGLE_IDENTITY_LINK_START, {"input": {"redirectUrl": DASHBOARD_CALLBACK}}
    )
    with_key = await app.gql.execute(
        GOOGLE_IDENTITY_LINK_START,
        {"input": {"redirectUrl": DASHBOARD_CALLBACK}},
        token=api_key.key,
    )

    # then
    assert error_codes(anonymous) == ["UNAUTHENTICATED"]
    assert error_codes(with_key) == ["FORBIDDEN"]


async def test_the_link_start_says_when_google_sign_in_is_off(gql, make):
    # given: the session's server has no sign-in client
    user = await make.account()

    # when
    payload = await gql.payload(
        GOOGLE_IDENTITY_LINK_START, {"input": {"redirectUrl": DASHBOARD_CALLBACK}}, token=user.token
    )

    # then
    assert payload_codes(payload) == ["GOOGLE_SIGN_IN_DISABLED"]
