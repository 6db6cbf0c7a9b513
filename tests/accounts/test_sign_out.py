"""signOut: this session, a named session, every session; never with an API key."""

from __future__ import annotations

from orm.models import AuthSession
from tests.accounts.helpers import (
    SIGN_OUT,
    TOKEN_REFRESH,
    create_api_key,
    error_codes,
    me_codes,
    second_session,
    user_uuid,
)
from tests.conftest import sign_up, unique_email

OK = {"ok": True, "errors": []}


async def _refresh_error_codes(gql, refresh_token: str) -> list[str]:
    data = await gql.data(TOKEN_REFRESH, {"input": {"refreshToken": refresh_token}})
    return [e["code"] for e in data["tokenRefresh"]["errors"]]


async def test_sign_out_ends_the_current_session_at_once(gql):
    # given
    account = await sign_up(gql, unique_email("signout"))
    other = await second_session(gql, account)

    # when
    data = await gql.data(SIGN_OUT, token=account.token)

    # then
    assert data["signOut"] == OK
    assert await me_codes(gql, account.token) == ["UNAUTHENTICATED"]
    assert await _refresh_error_codes(gql, account.refresh_token) == ["INVALID_TOKEN"]
    # The user's other session goes on.
    assert await me_codes(gql, other.token) == []
    assert await _refresh_error_codes(gql, other.refresh_token) == []


async def test_sign_out_with_a_refresh_token_ends_that_session(gql):
    # given
    account = await sign_up(gql, unique_email("signoutother"))
    other = await second_session(gql, account)

    # when
    data = await gql.data(
        SIGN_OUT, {"input": {"refreshToken": other.refresh_token}}, token=account.token
    )

    # then
    assert data["signOut"] == OK
    assert await me_codes(gql, other.token) == ["UNAUTHENTICATED"]
    assert await me_codes(gql, account.token) == []


async def test_sign_out_cannot_end_another_users_session(gql):
    # given
    account = await sign_up(gql, unique_email("signoutmine"))
    stranger = await sign_up(gql, unique_email("signoutyours"))

    # when
    await gql.data(
        SIGN_OUT, {"input": {"refreshToken": stranger.refresh_token}}, token=account.token
    )

    # then
    assert await me_codes(gql, stranger.token) == []
    assert await _refresh_error_codes(gql, stranger.refresh_token) == []


async def test_sign_out_everywhere_ends_every_session(gql):
    # given
    account = await sign_up(gql, unique_email("everywhere"))
    second = await second_session(gql, account)
    third = await second_session(gql, account)

    # when
    data = await gql.data(SIGN_OUT, {"input": {"everywhere": True}}, token=second.token)

    # then
    assert data["signOut"] == OK
    for session in (account, second, third):
        assert await me_codes(gql, session.token) == ["UNAUTHENTICATED"]
        assert await _refresh_error_codes(gql, session.refresh_token) == ["INVALID_TOKEN"]
    assert await AuthSession.filter(user_id=user_uuid(account), revoked_at=None).count() == 0


async def test_an_api_key_cannot_sign_out(gql):
    # given
    account = await sign_up(gql, unique_email("keyholder"))
    key = await create_api_key(gql, account)

    # when
    body = await gql.execute(SIGN_OUT, {"input": {"everywhere": True}}, token=key)

    # then
    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN"]
    assert await me_codes(gql, account.token) == []


async def test_sign_out_needs_a_session(gql):
    # when
    body = await gql.execute(SIGN_OUT)

    # then
    assert body["data"] is None
    assert error_codes(body) == ["UNAUTHENTICATED"]
