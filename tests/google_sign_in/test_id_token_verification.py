"""The ID token is verified before anyone is signed in: a forged, expired, foreign or
replayed token, or an address Google does not vouch for, sends the browser back to the
dashboard with `error=<code>`, and nothing changes."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from orm.models import GoogleIdentity, OneTimeToken, User
from tests.fakes.google_oidc import REMOVED, IdTokenForgery
from tests.google_sign_in.helpers import (
    DASHBOARD_CALLBACK,
    SignInApp,
    google_account,
    query_of,
    without_query,
)

OTHER_CLIENT = "someone-else.apps.googleusercontent.com"


async def assert_sent_back_with(app: SignInApp, response, error: str, account) -> None:
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    assert without_query(location) == DASHBOARD_CALLBACK
    assert query_of(location) == {"error": error}
    assert not await User.exists(email=account.email)
    assert not await GoogleIdentity.exists(subject=account.subject)
    assert not await OneTimeToken.exists(user__email=account.email)


# Built when the test runs: times are relative to then.
FORGERIES: dict[str, Callable[[], IdTokenForgery]] = {
    # signed with a key Google does not publish, under the kid of one it does
    "wrong-key": lambda: IdTokenForgery(foreign_key=True),
    # signed under a kid the key set does not have (fetched again: still absent)
    "unknown-kid": lambda: IdTokenForgery(unknown_kid=True),
    "expired": lambda: IdTokenForgery(
        claims={"iat": int(time.time()) - 7200, "exp": int(time.time()) - 120}
    ),
    "issued-in-the-future": lambda: IdTokenForgery(claims={"iat": int(time.time()) + 600}),
    "wrong-audience": lambda: IdTokenForgery(claims={"aud": OTHER_CLIENT, "azp": REMOVED}),
    # `azp` naming us does not make up for an `aud` that does not
    "wrong-audience-our-azp": lambda: IdTokenForgery(claims={"aud": OTHER_CLIENT}),
    "wrong-issuer": lambda: IdTokenForgery(claims={"iss": "https://evil.example"}),
    "wrong-nonce": lambda: IdTokenForgery(claims={"nonce": "not-the-nonce-we-sent"}),
    "no-nonce": lambda: IdTokenForgery(claims={"nonce": REMOVED}),
    "no-subject": lambda: IdTokenForgery(claims={"sub": REMOVED}),
    "no-expiry": lambda: IdTokenForgery(claims={"exp": REMOVED}),
}


@pytest.mark.parametrize("forgery", FORGERIES.values(), ids=FORGERIES.keys())
async def test_a_bad_id_token_is_refused(app: SignInApp, forgery: Callable[[], IdTokenForgery]):
    # given
    account = google_account()
    app.google.oidc.forge_next_id_token(forgery())

    # when
    response = await app.sign_in(account)

    # then
    await assert_sent_back_with(app, response, "invalid_id_token", account)
    assert len(app.google.oidc.issued) == 1


async def test_both_spellings_of_googles_issuer_are_accepted(app: SignInApp):
    # given: Google documents "accounts.google.com" as well as the https form
    account = google_account()
    app.google.oidc.forge_next_id_token(IdTokenForgery(claims={"iss": "accounts.google.com"}))

    # when
    response = await app.sign_in(account)

    # then
    assert "code" in query_of(response.headers["location"])


async def test_an_id_token_just_past_its_expiry_is_accepted_within_the_leeway(app: SignInApp):
    # given: a few seconds of clock skew
    account = google_account()
    app.google.oidc.forge_next_id_token(IdTokenForgery(claims={"exp": int(time.time()) - 5}))

    # when
    response = await app.sign_in(account)

    # then
    assert "code" in query_of(response.headers["location"])


async def test_an_address_google_does_not_vouch_for_is_refused(app: SignInApp):
    # given
    account = google_account(email_verified=False)

    # when
    response = await app.sign_in(account)

    # then
    await assert_sent_back_with(app, response, "email_not_verified", account)


async def test_email_verified_must_be_a_json_true(app: SignInApp):
    # given
    account = google_account()
    app.google.oidc.forge_next_id_token(IdTokenForgery(claims={"email_verified": "true"}))

    # when
    response = await app.sign_in(account)

    # then
    await assert_sent_back_with(app, response, "email_not_verified", account)


async def test_the_key_set_is_fetched_once_and_kept(app: SignInApp):
    # given: a sign-in, which may fetch the discovery document and the key set
    await app.tokens(google_account())
    app.google.requests.clear()

    # when
    await app.tokens(google_account())

    # then: Google is asked only for the code exchange
    assert [r.path for r in app.google.requests] == ["/o/oauth2/v2/auth", "/token"]


async def test_a_refused_consent_comes_back_as_cancelled(app: SignInApp):
    # given
    account = google_account()
    url = await app.authorization_url()

    # when
    redirect = await app.google.consent(url, approve=False, sign_in=account)
    response = await app.callback(redirect)

    # then
    await assert_sent_back_with(app, response, "cancelled", account)
    assert app.google.token_requests() == []


async def test_a_code_google_refuses_comes_back_as_code_refused(app: SignInApp):
    # given
    account = google_account()
    redirect = await app.consented(account)
    app.google.fail_token(400, error="invalid_grant", grant_type="authorization_code")

    # when
    response = await app.callback(redirect)

    # then
    await assert_sent_back_with(app, response, "code_refused", account)


async def test_google_failing_at_the_exchange_comes_back_as_google_unavailable(app: SignInApp):
    # given
    account = google_account()
    redirect = await app.consented(account)
    app.google.fail_token(503, error="temporarily_unavailable", grant_type="authorization_code")

    # when
    response = await app.callback(redirect)

    # then
    await assert_sent_back_with(app, response, "google_unavailable", account)
