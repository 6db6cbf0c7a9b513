"""signIn: credentials, one answer for every wrong guess, throttling, deactivated users.

(Throttling under concurrency and lock-out by strangers: tests/security_accounts.)
"""

from __future__ import annotations

from orm.models import User
from tests.accounts.helpers import me_codes, sign_in, sign_up
from tests.support.factories import PASSWORD, unique_address, unique_email
from tests.support.operations import ME, SIGN_IN

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
    # given: the password was set by signing up, so this is the whole round trip
    account = await sign_up(gql)

    # when
    payload = await sign_in(gql, account.email.upper(), PASSWORD)

    # then
    assert payload["errors"] == []
    assert payload["user"] == {"id": account.user_id, "email": account.email}
    assert payload["accessToken"] != account.token
    assert payload["refreshToken"] != account.refresh_token
    me = await gql.data(ME, token=payload["accessToken"])
    assert me["me"]["email"] == account.email


async def test_wrong_password_and_unknown_email_get_the_same_answer(gql, make):
    # given
    account = await make.account()
    address = unique_address()

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


async def test_five_failures_from_one_address_block_that_address_for_that_email(
    gql, make, settings
):
    # given
    assert settings.sign_in_max_failures_per_email_and_address == 5
    account = await make.account()
    guesser = unique_address()
    for _ in range(5):
        failed = await sign_in(gql, account.email, "wrong password guess", client_address=guesser)
        assert failed == INVALID_CREDENTIALS

    # when: the right password, from that address and from another one
    from_guesser = await sign_in(gql, account.email, PASSWORD, client_address=guesser)
    from_elsewhere = await sign_in(gql, account.email, PASSWORD)

    # then
    assert from_guesser == TOO_MANY_ATTEMPTS
    assert from_elsewhere["errors"] == []


async def test_failures_from_many_addresses_reach_the_slower_per_email_limit(gql, make, settings):
    # given: one failure each from as many addresses as the per-email limit
    assert settings.sign_in_max_failures_per_email == 10
    account = await make.account()
    for _ in range(10):
        assert (await sign_in(gql, account.email, "wrong guess")) == INVALID_CREDENTIALS

    # when: the right password from an address the account never signed in from
    payload = await sign_in(gql, account.email, PASSWORD)

    # then (the owner's own addresses are spared: tests/security_accounts)
    assert payload == TOO_MANY_ATTEMPTS


async def test_four_failures_do_not_block_and_a_success_clears_them(gql, make):
    # given
    account = await make.account()
    address = unique_address()
    for _ in range(4):
        failed = await sign_in(gql, account.email, "wrong password guess", client_address=address)
        assert failed == INVALID_CREDENTIALS

    # when
    success = await sign_in(gql, account.email, PASSWORD, client_address=address)
    for _ in range(4):
        failed = await sign_in(gql, account.email, "wrong password guess", client_address=address)
        assert failed == INVALID_CREDENTIALS
    after_clear = await sign_in(gql, account.email, PASSWORD, client_address=address)

    # then
    assert success["errors"] == []
    assert after_clear["errors"] == []


async def test_twenty_failures_from_one_address_block_that_address_only(gql, make, settings):
    # given
    assert settings.sign_in_max_failures_per_address == 20
    account = await make.account()
    noisy_address = unique_address()
    for _ in range(20):
        failed = await sign_in(gql, unique_email("guess"), PASSWORD, client_address=noisy_address)
        assert failed == INVALID_CREDENTIALS

    # when
    from_noisy = await sign_in(gql, account.email, PASSWORD, client_address=noisy_address)
    from_other = await sign_in(gql, account.email, PASSWORD, client_address=unique_address())

    # then
    assert from_noisy == TOO_MANY_ATTEMPTS
    assert from_other["errors"] == []
    assert from_other["user"]["id"] == account.user_id


async def test_a_deactivated_user_cannot_sign_in(gql, make):
    # given: a user with a working session, deactivated (no API does that)
    account = await make.account()
    assert await me_codes(gql, account.token) == []
    await User.filter(id=account.uuid).update(is_active=False)

    # when
    payload = await sign_in(gql, account.email, PASSWORD)

    # then
    assert payload == INVALID_CREDENTIALS
    # ...and the session the user had stops working as well.
    assert await me_codes(gql, account.token) == ["UNAUTHENTICATED"]
