"""passwordResetRequest tells no one whether an address has an account: the same answer after
the same work (the request only records that a mail may be owed; the sender works out
whether there is an account to mail, away from the request)."""

from __future__ import annotations

import re

from tests.support.factories import unique_email
from tests.support.logs import sql_statements
from tests.support.mail import mailed_tokens, mails

PASSWORD_RESET_REQUEST = """
mutation PasswordResetRequest($input: PasswordResetRequestInput!) {
  passwordResetRequest(input: $input) { ok errors { field message code } }
}
"""


def _statement_shapes(statements: list[str]) -> list[str]:
    """The SQL sent, without its parameters (which differ: emails, ids, times)."""
    shapes = []
    for statement in statements:
        sql = statement.split(": [", 1)[0].split(": (", 1)[0]
        shapes.append(re.sub(r"\s+", " ", sql).strip())
    return shapes


async def _request(gql, email: str) -> dict:
    return await gql.execute(PASSWORD_RESET_REQUEST, {"input": {"email": email}})


async def test_an_existing_and_an_unknown_address_cost_the_same_statements(gql, make):
    # given
    account = await make.account()
    unknown = unique_email("nobody")

    # when
    with sql_statements() as for_existing:
        existing_answer = await _request(gql, account.email)
    with sql_statements() as for_unknown:
        unknown_answer = await _request(gql, unknown)

    # then
    assert existing_answer == unknown_answer
    assert existing_answer == {"data": {"passwordResetRequest": {"ok": True, "errors": []}}}
    assert _statement_shapes(for_unknown) == _statement_shapes(for_existing)


async def test_the_existing_account_gets_its_link_and_the_unknown_address_nothing(gql, make):
    # given
    account = await make.account()
    unknown = unique_email("nobody")

    # when
    await _request(gql, account.email)
    await _request(gql, unknown)

    # then
    assert len(await mailed_tokens(account.email, "password_reset")) == 1
    assert await mails(unknown, "password_reset") == []
