"""tokenRefresh: the exact same refresh token presented again within a short grace window (two
tabs, a retried request) gets the same new pair instead of ending the session; reuse after the
window, or after the new token was itself used, still revokes the whole family."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from core.security.tokens import digest
from orm.models import AuthSession, RefreshToken
from tests.accounts.helpers import me_codes
from tests.support.operations import TOKEN_REFRESH


async def _refresh(gql, refresh_token: str) -> dict:
    return await gql.payload(TOKEN_REFRESH, {"input": {"refreshToken": refresh_token}})


def _pair(payload: dict) -> tuple[str, str]:
    return payload["accessToken"], payload["refreshToken"]


async def test_two_simultaneous_refreshes_with_one_token_get_the_same_pair(gql, make):
    # given: two tabs hold the same refresh token
    account = await make.account()

    # when: both refresh at once
    first, second = await asyncio.gather(
        _refresh(gql, account.refresh_token), _refresh(gql, account.refresh_token)
    )

    # then: the session lives on, and both tabs hold the one new pair
    assert first["errors"] == [] and second["errors"] == []
    assert _pair(first) == _pair(second)
    assert await me_codes(gql, first["accessToken"]) == []
    assert (await AuthSession.get(id=account.session_id)).revoked_at is None
    assert (await _refresh(gql, first["refreshToken"]))["errors"] == []


async def test_a_retried_refresh_within_the_window_gets_the_same_pair(gql, make, settings):
    # given
    account = await make.account()
    first = await _refresh(gql, account.refresh_token)

    # when: the answer was lost, and the client retries
    retry = await _refresh(gql, account.refresh_token)

    # then
    assert retry["errors"] == []
    assert _pair(retry) == _pair(first)
    assert await RefreshToken.filter(session_id=account.session_id).count() == 2
    assert settings.refresh_token_reuse_grace_seconds == 10


async def test_reuse_after_the_window_revokes_the_family(gql, make, settings):
    # given: a token rotated longer ago than the grace window
    account = await make.account()
    newer = await _refresh(gql, account.refresh_token)
    long_ago = datetime.now(UTC) - timedelta(seconds=settings.refresh_token_reuse_grace_seconds + 1)
    await RefreshToken.filter(token_hash=digest(account.refresh_token)).update(rotated_at=long_ago)

    # when
    replay = await _refresh(gql, account.refresh_token)

    # then
    assert [error["code"] for error in replay["errors"]] == ["INVALID_TOKEN"]
    assert replay["refreshToken"] is None
    assert await me_codes(gql, newer["accessToken"]) == ["UNAUTHENTICATED"]
    assert (await _refresh(gql, newer["refreshToken"]))["refreshToken"] is None


async def test_reuse_after_the_new_token_was_used_revokes_the_family(gql, make):
    # given: the new token has itself been exchanged already
    account = await make.account()
    newer = await _refresh(gql, account.refresh_token)
    newest = await _refresh(gql, newer["refreshToken"])

    # when: the first token comes back, still within the window
    replay = await _refresh(gql, account.refresh_token)

    # then
    assert replay["refreshToken"] is None
    assert await me_codes(gql, newest["accessToken"]) == ["UNAUTHENTICATED"]


async def test_the_new_pair_is_not_kept_in_the_clear(gql, make):
    # given
    account = await make.account()

    # when
    payload = await _refresh(gql, account.refresh_token)

    # then: what the window needs is stored sealed under the old token, never in the clear
    rows = await RefreshToken.filter(session_id=account.session_id).values()
    stored = repr(rows)
    assert payload["refreshToken"] not in stored
    assert payload["accessToken"] not in stored
    assert account.refresh_token not in stored
