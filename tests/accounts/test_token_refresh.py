"""tokenRefresh: rotation, reuse detection revoking the family, bad and expired tokens.

(The grace window for the same token presented twice: tests/security_accounts.)
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.security.tokens import digest
from orm.models import RefreshToken
from tests.accounts.helpers import me_codes
from tests.support.operations import ME, TOKEN_REFRESH

INVALID_REFRESH = {
    "user": None,
    "accessToken": None,
    "refreshToken": None,
    "errors": [
        {
            "field": "refreshToken",
            "message": "The refresh token is invalid or expired. Sign in again.",
            "code": "INVALID_TOKEN",
        }
    ],
}


async def _refresh(gql, refresh_token: str) -> dict:
    return await gql.payload(TOKEN_REFRESH, {"input": {"refreshToken": refresh_token}})


async def test_token_refresh_returns_a_new_working_pair(gql, make):
    # given
    account = await make.account()

    # when
    payload = await _refresh(gql, account.refresh_token)

    # then
    assert payload["errors"] == []
    assert payload["user"] == {"id": account.user_id, "email": account.email}
    assert payload["refreshToken"] != account.refresh_token
    assert payload["accessToken"] != account.token
    me = await gql.data(ME, token=payload["accessToken"])
    assert me["me"]["id"] == account.user_id
    # The refresh token is stored only as a digest.
    assert await RefreshToken.filter(token_hash=digest(payload["refreshToken"])).count() == 1
    assert await RefreshToken.filter(token_hash=payload["refreshToken"]).count() == 0


async def test_reusing_a_rotated_refresh_token_revokes_the_whole_family(gql, make):
    # given
    account = await make.account()
    second = await _refresh(gql, account.refresh_token)
    third = await _refresh(gql, second["refreshToken"])
    assert third["errors"] == []
    assert await me_codes(gql, third["accessToken"]) == []

    # when: the first refresh token is presented again
    replay = await _refresh(gql, account.refresh_token)

    # then
    assert replay == INVALID_REFRESH
    assert await _refresh(gql, third["refreshToken"]) == INVALID_REFRESH
    assert await me_codes(gql, third["accessToken"]) == ["UNAUTHENTICATED"]
    assert await me_codes(gql, account.token) == ["UNAUTHENTICATED"]


async def test_reuse_does_not_touch_the_users_other_sessions(gql, make, settings):
    # given: a token exchanged longer ago than the grace window
    account = await make.account()
    other = await _refresh(gql, (await make.session(account.user)).refresh_token)
    await _refresh(gql, account.refresh_token)
    await RefreshToken.filter(token_hash=digest(account.refresh_token)).update(
        rotated_at=datetime.now(UTC)
        - timedelta(seconds=settings.refresh_token_reuse_grace_seconds + 1)
    )

    # when
    replay = await _refresh(gql, account.refresh_token)

    # then
    assert replay == INVALID_REFRESH
    assert await me_codes(gql, other["accessToken"]) == []
    assert (await _refresh(gql, other["refreshToken"]))["errors"] == []


async def test_token_refresh_refuses_a_garbage_token(gql):
    # when
    payload = await _refresh(gql, "vart_this-was-never-issued")

    # then
    assert payload == INVALID_REFRESH


async def test_token_refresh_refuses_an_expired_token(gql, make):
    # given
    account = await make.account()
    await RefreshToken.filter(token_hash=digest(account.refresh_token)).update(
        expires_at=datetime.now(UTC) - timedelta(seconds=1)
    )

    # when
    payload = await _refresh(gql, account.refresh_token)

    # then
    assert payload == INVALID_REFRESH
