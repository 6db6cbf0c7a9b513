"""Sign-in throttling holds under concurrency: an attempt is counted before its password is
checked, so simultaneous guesses cannot all pass the check and then fail together."""

from __future__ import annotations

import asyncio

import pytest

from core.services import accounts
from tests.accounts.helpers import sign_in
from tests.support.factories import PASSWORD, unique_address

# The suite's per email-and-address limit (tests/conftest.py).
LIMIT = 5
GUESSES = 60


@pytest.fixture
def verifications(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every password that reached the Argon2 verification (the server runs in this process)."""
    checked: list[str] = []
    real_verify = accounts.verify_password

    async def counting_verify(password: str, password_hash: str | None) -> bool:
        checked.append(password)
        return await real_verify(password, password_hash)

    monkeypatch.setattr(accounts, "verify_password", counting_verify)
    return checked


async def test_sixty_simultaneous_guesses_from_one_address_evaluate_at_most_the_limit(
    gql, make, settings, verifications
):
    # given
    account = await make.account()
    address = unique_address()

    # when: 60 wrong guesses at once, from one address
    answers = await asyncio.gather(
        *(
            sign_in(gql, account.email, f"wrong guess {n}", client_address=address)
            for n in range(GUESSES)
        )
    )

    # then: no more than the limit reached the password check; the rest were refused unchecked
    # (a burst may be refused whole: each attempt counts the others that arrived with it)
    assert len(verifications) <= LIMIT
    codes = [answer["errors"][0]["code"] for answer in answers]
    assert codes.count("INVALID_CREDENTIALS") == len(verifications)
    assert codes.count("TOO_MANY_ATTEMPTS") == GUESSES - len(verifications)
    assert settings.sign_in_max_failures_per_email_and_address == LIMIT


async def test_the_right_password_among_simultaneous_guesses_is_checked_only_within_the_limit(
    gql, make, verifications
):
    # given: the attacker's guesses include the right password, last
    account = await make.account()
    address = unique_address()
    guesses = [f"wrong guess {n}" for n in range(GUESSES - 1)] + [PASSWORD]

    # when
    answers = await asyncio.gather(
        *(sign_in(gql, account.email, guess, client_address=address) for guess in guesses)
    )

    # then: whatever got through, no more than the limit of guesses was ever evaluated
    assert len(verifications) <= LIMIT
    signed_in = [answer for answer in answers if answer["errors"] == []]
    assert len(signed_in) == (1 if PASSWORD in verifications else 0)


async def test_simultaneous_guesses_at_many_emails_from_one_address_stop_at_its_limit(
    gql, make, settings, verifications
):
    # given: password spraying: one guess per account, 60 accounts, one address
    emails = [(await make.account()).email for _ in range(GUESSES)]
    address = unique_address()

    # when
    await asyncio.gather(
        *(sign_in(gql, email, "Summer2026!", client_address=address) for email in emails)
    )

    # then
    assert len(verifications) <= settings.sign_in_max_failures_per_address
