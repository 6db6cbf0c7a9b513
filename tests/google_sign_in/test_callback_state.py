"""A callback without a valid state is refused with 400 and sends the browser nowhere: a
forged, replayed, expired state, one from another browser, or another flow's. Google's code
is never exchanged for it, and no account or code comes of it."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import httpx
import jwt

from core.security.oauth_flow import state_keys
from core.security.tokens import digest
from orm.models import GoogleSignInState, OneTimeToken, User
from tests.google_sign_in.helpers import SignInApp, google_account, query_of

CALLBACK = "/auth/google/callback"


def claims_of(state: str) -> dict:
    return jwt.decode(state, options={"verify_signature": False})


def resigned(state: str, key: bytes, **changes) -> str:
    return jwt.encode({**claims_of(state), **changes}, key, algorithm="HS256")


def callback_url(code: str, state: str) -> str:
    return f"{CALLBACK}?{urlencode({'code': code, 'state': state})}"


async def assert_refused(app: SignInApp, response: httpx.Response, account) -> None:
    assert response.status_code == 400, response.text
    assert "location" not in response.headers
    assert "Start again" in response.text
    # Google's code was not exchanged, nobody was created, no code issued
    assert app.google.token_requests() == []
    assert not await User.exists(email=account.email)
    assert not await OneTimeToken.exists(user__email=account.email)


async def test_a_forged_state_is_refused(app: SignInApp):
    # given: a genuine flow's code, under a state signed with a key that is not ours
    account = google_account()
    query = query_of(await app.consented(account))
    forged = resigned(query["state"], b"k" * 32)

    # when
    response = await app.callback(callback_url(query["code"], forged))

    # then
    await assert_refused(app, response, account)


async def test_a_state_for_another_nonce_is_refused(app: SignInApp):
    # given: signed with our key, but naming a nonce no flow started
    account = google_account()
    query = query_of(await app.consented(account))
    other = resigned(query["state"], state_keys(app.settings)[0], nonce="n" * 32)

    # when
    response = await app.callback(callback_url(query["code"], other))

    # then
    await assert_refused(app, response, account)


async def test_a_garbage_or_missing_state_is_refused(app: SignInApp):
    # when
    garbage = await app.callback(f"{CALLBACK}?code=x&state=not-a-jwt")
    missing = await app.callback(f"{CALLBACK}?code=x")
    oversized = await app.callback(f"{CALLBACK}?code=x&state={'a' * 5000}")

    # then
    for response in (garbage, missing, oversized):
        assert response.status_code == 400
        assert "location" not in response.headers


async def test_a_replayed_state_is_refused_and_google_is_asked_once(app: SignInApp):
    # given: a sign-in that went through
    account = google_account()
    redirect = await app.consented(account)
    first = await app.callback(redirect)
    assert "code" in query_of(first.headers["location"])

    # when: the same callback again (a replay, or the back button)
    again = await app.callback(redirect)

    # then
    assert again.status_code == 400
    assert "location" not in again.headers
    assert len(app.google.token_requests("authorization_code")) == 1
    assert await OneTimeToken.filter(user__email=account.email).count() == 1


async def test_a_state_from_another_browser_is_refused_and_stays_usable_in_its_own(
    app: SignInApp,
):
    # given: started (and consented) in browser A
    account = google_account()
    redirect = await app.consented(account)
    browser_a = app.other_browser()

    # when: the link is opened in browser B, which has no cookie
    elsewhere = await app.callback(redirect)

    # then
    await assert_refused(app, elsewhere, account)

    # when: browser B has a flow cookie of its own (from its own start)
    await app.start()
    with_other_cookie = await app.callback(redirect)

    # then
    await assert_refused(app, with_other_cookie, account)

    # when: browser A follows it after all
    app.back_to(browser_a)
    own = await app.callback(redirect)

    # then: not spent by the refusals
    assert own.status_code == 303
    assert "code" in query_of(own.headers["location"])


async def test_an_expired_state_is_refused(app: SignInApp):
    # given: a flow whose row outlived its lifetime
    account = google_account()
    redirect = await app.consented(account)
    nonce = claims_of(query_of(redirect)["state"])["nonce"]
    await GoogleSignInState.filter(nonce_hash=digest(nonce)).update(
        expires_at=datetime.now(UTC) - timedelta(seconds=1)
    )

    # when
    response = await app.callback(redirect)

    # then
    await assert_refused(app, response, account)


async def test_a_state_past_its_signed_expiry_is_refused(app: SignInApp):
    # given: the state itself says it expired (its row would still be alive)
    account = google_account()
    query = query_of(await app.consented(account))
    now = int(time.time())
    expired = resigned(query["state"], state_keys(app.settings)[0], iat=now - 700, exp=now - 100)

    # when
    response = await app.callback(callback_url(query["code"], expired))

    # then
    await assert_refused(app, response, account)


async def test_a_calendar_connection_state_is_not_a_sign_in_state(app: SignInApp):
    # given: the sign-in state re-signed for the calendar flow's audience
    account = google_account()
    query = query_of(await app.consented(account))
    calendar = resigned(query["state"], state_keys(app.settings)[0], aud="oauth-state")

    # when
    response = await app.callback(callback_url(query["code"], calendar))

    # then
    await assert_refused(app, response, account)
