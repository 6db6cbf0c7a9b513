"""Lock-out cannot be turned against the owner: failures count per email and address, the
global per-email limit is slower and spares the addresses the owner signs in from, and a
success clears only its own address's failures."""

from __future__ import annotations

from core.errors import ServiceError
from core.security.tokens import AccessTokenCodec
from core.services import accounts
from core.settings import Settings
from tests.accounts.helpers import sign_in
from tests.support.factories import PASSWORD, unique_address


def _codes(payload: dict) -> list[str]:
    return [error["code"] for error in payload["errors"]]


async def test_failures_from_elsewhere_do_not_refuse_the_owner_at_their_usual_address(
    gql, make, settings
):
    # given: the owner signs in from home; then strangers fail at least 10 times (enough to
    # reach the global per-email limit), each from another address
    account = await make.account()
    home = unique_address()
    assert (await sign_in(gql, account.email, PASSWORD, client_address=home))["errors"] == []
    for _ in range(max(10, settings.sign_in_max_failures_per_email)):
        failed = await sign_in(gql, account.email, "a stranger's guess")
        assert _codes(failed) == ["INVALID_CREDENTIALS"]

    # when
    from_home = await sign_in(gql, account.email, PASSWORD, client_address=home)
    from_a_new_address = await sign_in(gql, account.email, PASSWORD)

    # then: the owner gets in from home; an address never used by the owner waits
    assert from_home["errors"] == []
    assert from_home["user"]["id"] == account.user_id
    assert _codes(from_a_new_address) == ["TOO_MANY_ATTEMPTS"]


async def test_a_success_clears_only_its_own_addresses_failures(gql, make, settings):
    # given: an attacker one failure short of the limit at one address
    account = await make.account()
    attacker, owner = unique_address(), unique_address()
    for _ in range(settings.sign_in_max_failures_per_email_and_address - 1):
        failed = await sign_in(gql, account.email, "guess", client_address=attacker)
        assert _codes(failed) == ["INVALID_CREDENTIALS"]

    # when: the owner signs in from elsewhere, and the attacker guesses once more
    owner_in = await sign_in(gql, account.email, PASSWORD, client_address=owner)
    last_guess = await sign_in(gql, account.email, "guess", client_address=attacker)
    even_right = await sign_in(gql, account.email, PASSWORD, client_address=attacker)

    # then: the owner's success did not give the attacker a fresh budget
    assert owner_in["errors"] == []
    assert _codes(last_guess) == ["INVALID_CREDENTIALS"]
    assert _codes(even_right) == ["TOO_MANY_ATTEMPTS"]


async def test_a_success_clears_its_own_addresses_failures(gql, make, settings):
    # given: the owner mistypes up to one short of the limit
    account = await make.account()
    laptop = unique_address()
    for _ in range(settings.sign_in_max_failures_per_email_and_address - 1):
        await sign_in(gql, account.email, "typo", client_address=laptop)

    # when
    success = await sign_in(gql, account.email, PASSWORD, client_address=laptop)
    typos = [
        await sign_in(gql, account.email, "typo", client_address=laptop)
        for _ in range(settings.sign_in_max_failures_per_email_and_address - 1)
    ]
    again = await sign_in(gql, account.email, PASSWORD, client_address=laptop)

    # then
    assert success["errors"] == []
    assert all(_codes(typo) == ["INVALID_CREDENTIALS"] for typo in typos)
    assert again["errors"] == []


async def test_with_the_default_limits_ten_failures_elsewhere_refuse_no_address(make, settings):
    # given: the product's default limits (the suite's server runs tighter ones)
    defaults = Settings(database_url=settings.database_url)
    account = await make.account()
    codec = AccessTokenCodec(defaults)
    for n in range(10):
        try:
            await accounts.sign_in(
                email=account.email,
                password="a stranger's guess",
                codec=codec,
                settings=defaults,
                client_address=f"203.0.113.{n + 1}",
            )
        except ServiceError as error:
            assert error.errors[0].code == accounts.AccountErrorCode.INVALID_CREDENTIALS

    # when: the owner, from an address they never used before
    issued = await accounts.sign_in(
        email=account.email,
        password=PASSWORD,
        codec=codec,
        settings=defaults,
        client_address=unique_address(),
    )

    # then
    assert issued.user.id == account.uuid
