"""signUp tells no one whether an address has an account: a taken address gets the same answer
after the same work as a new one, and its owner gets a mail instead."""

from __future__ import annotations

import re

import pytest

from core.security import passwords
from orm.models import User
from tests.support.factories import PASSWORD, unique_email
from tests.support.logs import sql_statements
from tests.support.mail import mails

# A selection both the old and the new payload have.
SIGN_UP_ERRORS = """
mutation SignUp($input: SignUpInput!) {
  signUp(input: $input) { errors { field message code } }
}
"""


def _input(email: str) -> dict:
    return {"input": {"email": email, "password": PASSWORD, "fullName": "Someone Else"}}


@pytest.fixture
def hashed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every password hashed with Argon2 (the server runs in this process)."""
    calls: list[str] = []
    real_hash = passwords.hash_password

    async def counting_hash(password: str) -> str:
        calls.append(password)
        return await real_hash(password)

    for module in ("core.security.passwords", "core.services.accounts"):
        monkeypatch.setattr(f"{module}.hash_password", counting_hash)
    return calls


def _statement_shapes(statements: list[str]) -> list[str]:
    """The SQL sent, without its parameters (which differ: emails, ids, times)."""
    shapes = []
    for statement in statements:
        sql = statement.split(": [", 1)[0].split(": (", 1)[0]
        shapes.append(re.sub(r"\s+", " ", sql).strip())
    return shapes


async def test_a_taken_address_gets_the_same_answer_as_a_new_one(gql, make):
    # given
    owner = await make.account()

    # when
    new = await gql.execute(SIGN_UP_ERRORS, _input(unique_email("new")))
    taken = await gql.execute(SIGN_UP_ERRORS, _input(owner.email))

    # then
    assert new == {"data": {"signUp": {"errors": []}}}
    assert taken == new


async def test_a_taken_address_costs_the_same_work_as_a_new_one(gql, make, hashed):
    # given
    owner = await make.account()
    fresh = unique_email("fresh")

    # when
    with sql_statements() as for_new:
        await gql.execute(SIGN_UP_ERRORS, _input(fresh))
    with sql_statements() as for_taken:
        await gql.execute(SIGN_UP_ERRORS, _input(owner.email))

    # then: one Argon2 hash each, and the same statements in the same order
    assert len(hashed) == 2
    assert _statement_shapes(for_taken) == _statement_shapes(for_new)
    assert await User.filter(email=fresh).count() == 1


async def test_the_owner_of_a_taken_address_gets_a_mail_and_keeps_the_account(gql, make):
    # given
    owner = await make.account(name="Ada Owner")
    before = await User.get(id=owner.uuid)

    # when
    await gql.execute(SIGN_UP_ERRORS, _input(owner.email.upper()))

    # then
    [notice] = await mails(owner.email, "sign_up_notice")
    assert "Ada Owner" in notice.text_body
    assert "tried to create an account" in notice.text_body
    after = await User.get(id=owner.uuid)
    assert (after.password_hash, after.full_name) == (before.password_hash, before.full_name)
    assert await User.filter(email=owner.email).count() == 1
