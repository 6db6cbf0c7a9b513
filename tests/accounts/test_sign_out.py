"""signOut: this session, a named session, every session; never with an API key."""

from __future__ import annotations

from orm.models import AuthSession
from tests.accounts.helpers import me_codes
from tests.support.graphql import error_codes, payload_codes
from tests.support.operations import SIGN_OUT, TOKEN_REFRESH

OK = {"ok": True, "errors": []}


async def _refresh_error_codes(gql, refresh_token: str) -> list[str]:
    return payload_codes(
        await gql.payload(TOKEN_REFRESH, {"input": {"refreshToken": refresh_token}})
    )


async def test_sign_out_ends_the_current_session_at_once(gql, make):
    # given
    account = await make.account()
    other = await make.session(account.user)

    # when
    payload = await gql.payload(SIGN_OUT, token=account.token)

    # then
    assert payload == OK
    assert await me_codes(gql, account.token) == ["UNAUTHENTICATED"]
    assert await _refresh_error_codes(gql, account.refresh_token) == ["INVALID_TOKEN"]
    # The user's other session goes on.
    assert await me_codes(gql, other.token) == []
    assert await _refresh_error_codes(gql, other.refresh_token) == []


async def test_sign_out_with_a_refresh_token_ends_that_session(gql, make):
    # given
    account = await make.account()
    other = await make.session(account.user)

    # when
    payload = await gql.payload(
        SIGN_OUT, {"input": {"refreshToken": other.refresh_token}}, token=account.token
    )

    # then
    assert payload == OK
    assert await me_codes(gql, other.token) == ["UNAUTHENTICATED"]
    assert await me_codes(gql, account.token) == []


async def test_sign_out_cannot_end_another_users_session(gql, make):
    # given
    account = await make.account()
    stranger = await make.account()

    # when
    payload = await gql.payload(
        SIGN_OUT, {"input": {"refreshToken": stranger.refresh_token}}, token=account.token
    )

    # then: the same answer as for one's own session, and nothing ended
    assert payload == OK
    assert await me_codes(gql, stranger.token) == []
    assert await me_codes(gql, account.token) == []
    assert await _refresh_error_codes(gql, stranger.refresh_token) == []


async def test_sign_out_everywhere_ends_every_session(gql, make):
    # given
    account = await make.account()
    second = await make.session(account.user)
    third = await make.session(account.user)

    # when
    payload = await gql.payload(SIGN_OUT, {"input": {"everywhere": True}}, token=second.token)

    # then
    assert payload == OK
    for session in (account, second, third):
        assert await me_codes(gql, session.token) == ["UNAUTHENTICATED"]
        assert await _refresh_error_codes(gql, session.refresh_token) == ["INVALID_TOKEN"]
    assert await AuthSession.filter(user_id=account.uuid, revoked_at=None).count() == 0


async def test_an_api_key_cannot_sign_out(gql, make):
    # given
    tenant = await make.tenant("Key Holder")
    api_key = await make.api_key(tenant, "member")

    # when
    body = await gql.execute(SIGN_OUT, {"input": {"everywhere": True}}, token=api_key.key)

    # then
    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN"]
    assert await me_codes(gql, tenant.owner.token) == []


async def test_sign_out_needs_a_session(gql):
    # when
    body = await gql.execute(SIGN_OUT)

    # then
    assert body["data"] is None
    assert error_codes(body) == ["UNAUTHENTICATED"]
