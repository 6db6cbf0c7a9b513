"""authCodeExchange: the one-time code works once, within 60 seconds, for an active user."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from core.security.tokens import digest
from orm.models import AuthSession, OneTimeToken, User
from tests.google_sign_in.helpers import SignInApp, google_account

INVALID_CODE = {
    "user": None,
    "accessToken": None,
    "refreshToken": None,
    "errors": [
        {
            "field": "code",
            "message": "This sign-in code is invalid, used or expired. Sign in again.",
            "code": "INVALID_CODE",
        }
    ],
}


async def test_a_code_works_once(app: SignInApp):
    # given
    account = google_account()
    code = await app.code(account)
    first = await app.exchange(code)
    assert first["errors"] == []

    # when
    replayed = await app.exchange(code)

    # then: refused, and no second session
    assert replayed == INVALID_CODE
    user = await User.get(email=account.email)
    assert await AuthSession.filter(user_id=user.id).count() == 1


async def test_a_code_older_than_60_seconds_is_refused(app: SignInApp):
    # given: a code issued 61 seconds ago
    account = google_account()
    code = await app.code(account)
    issued = datetime.now(UTC) - timedelta(seconds=61)
    await OneTimeToken.filter(token_hash=digest(code)).update(
        created_at=issued, expires_at=issued + timedelta(seconds=60)
    )

    # when
    payload = await app.exchange(code)

    # then
    assert payload == INVALID_CODE
    assert not await AuthSession.filter(user__email=account.email).exists()


async def test_an_unknown_or_oversized_code_is_refused(app: SignInApp):
    # when
    unknown = await app.exchange("vagc_" + "x" * 43)
    oversized = await app.exchange("vagc_" + "x" * 5000)
    empty = await app.exchange("")

    # then
    assert unknown == oversized == empty == INVALID_CODE


async def test_a_mailed_token_is_not_a_sign_in_code(app: SignInApp, make):
    # given: a one-time token of another purpose (a password reset link's)
    account = await make.account()
    await OneTimeToken.create(
        user=account.user,
        purpose="password_reset",
        token_hash=digest("vagc_mailed-token-value"),
        expires_at=datetime.now(UTC) + timedelta(minutes=5),
    )

    # when
    payload = await app.exchange("vagc_mailed-token-value")

    # then
    assert payload == INVALID_CODE


async def test_the_code_of_a_user_deactivated_since_is_refused(app: SignInApp):
    # given
    account = google_account()
    code = await app.code(account)
    await User.filter(email=account.email).update(is_active=False)

    # when
    payload = await app.exchange(code)

    # then
    assert payload == INVALID_CODE


async def test_a_code_sent_twice_at_once_opens_one_session(app: SignInApp):
    # given
    account = google_account()
    code = await app.code(account)

    # when
    answers = await asyncio.gather(app.exchange(code), app.exchange(code))

    # then
    assert sorted(bool(answer["errors"]) for answer in answers) == [False, True]
    assert await AuthSession.filter(user__email=account.email).count() == 1
