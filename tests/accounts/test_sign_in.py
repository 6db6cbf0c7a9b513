"""signIn: credentials, one answer for every wrong guess, throttling, deactivated users."""

from __future__ import annotations

from orm.models import User
from tests.accounts.helpers import ME, SIGN_IN, fresh_address, sign_in, user_uuid
from tests.conftest import PASSWORD, sign_up, unique_email

INVALID_CREDENTIALS = {
    "user": None,
    "accessToken": None,
    "refreshToken": None,
    "errors": [
        {
            "field": None,
            "message": "The email or password is incorrect.",
            "code": "INVALID_CREDENTIALS",
        }
    ],
}
TOO_MANY_ATTEMPTS = {
    "user": None,
    "accessToken": None,
    "refreshToken": None,
    "errors": [
        {
            "field": None,
            "message": "Too many failed sign-in attempts. Wait a few minutes and try again.",
            "code": "TOO_MANY_ATTEMPTS",
        }
    ],
}


async def test_sign_in_with_correct_credentials_opens_a_session(gql):
    # given
    account = await sign_up(gql, unique_email("signin"))

    # when
    payload = await sign_in(gql, account.email.upper(), PASSWORD)

    # then
    assert payload["errors"] == []
    assert payload["user"] == {"id": account.user_id, "email": account.email}
    assert payload["accessToken"] != account.token
    assert payload["refreshToken"] != account.refresh_token
    me = await gql.data(ME, token=payload["accessToken"])
    assert me["me"]["email"] == account.email


async def test_wrong_password_and_unknown_email_get_the_same_answer(gql):
    # given
    account = await sign_up(gql, unique_email("oracle"))
    address = fresh_address()

    # when
    wrong_password = await gql.execute(
        SIGN_IN,
        {"input": {"email": account.email, "password": "not the password at all"}},
        client_address=address,
    )
    unknown_email = await gql.execute(
        SIGN_IN,
        {"input": {"email": unique_email("nobody"), "password": PASSWORD}},
        client_address=address,
    )

    # then
    assert wrong_password == unknown_email
    assert wrong_password == {"data": {"signIn": INVALID_CREDENTIALS}}


async def test_five_failures_for_one_email_block_even_the_right_password(gql, settings):
    # given
    assert settings.sign_in_max_failures_per_email == 5
    account = await sign_up(gql, unique_email("throttle"))
    for _ in range(5):
        failed = await sign_in(gql, account.email, "wrong password guess")
        assert failed == INVALID_CREDENTIALS

    # when: the right password, from yet another address
    payload = await sign_in(gql, account.email, PASSWORD)

    # then
    assert payload == TOO_MANY_ATTEMPTS


async def test_four_failures_do_not_block_and_a_success_clears_them(gql):
    # given
    account = await sign_up(gql, unique_email("almost"))
    for _ in range(4):
        assert (await sign_in(gql, account.email, "wrong password guess")) == INVALID_CREDENTIALS

    # when
    success = await sign_in(gql, account.email, PASSWORD)
    for _ in range(4):
        assert (await sign_in(gql, account.email, "wrong password guess")) == INVALID_CREDENTIALS
    after_clear = await sign_in(gql, account.email, PASSWORD)

    # then
    assert success["errors"] == []
    assert after_clear["errors"] == []


async def test_twenty_failures_from_one_address_block_that_address_only(gql, settings):
    # given
    assert settings.sign_in_max_failures_per_address == 20
    account = await sign_up(gql, unique_email("victim"))
    noisy_address = fresh_address()
    for _ in range(20):
        failed = await sign_in(gql, unique_email("guess"), PASSWORD, client_address=noisy_address)
        assert failed == INVALID_CREDENTIALS

    # when
    from_noisy = await sign_in(gql, account.email, PASSWORD, client_address=noisy_address)
    from_other = await sign_in(gql, account.email, PASSWORD, client_address=fresh_address())

    # then
    assert from_noisy == TOO_MANY_ATTEMPTS
    assert from_other["errors"] == []
    assert from_other["user"]["id"] == account.user_id


async def test_a_deactivated_user_cannot_sign_in(gql):
    # given
    account = await sign_up(gql, unique_email("inactive"))
    await User.filter(id=user_uuid(account)).update(is_active=False)

    # when
    payload = await sign_in(gql, account.email, PASSWORD)

    # then
    assert payload == INVALID_CREDENTIALS
    # ...and the session opened at sign-up stops working as well.
    body = await gql.execute(ME, token=account.token)
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]
