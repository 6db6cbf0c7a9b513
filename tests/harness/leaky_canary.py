"""A test that leaks a planted secret on purpose; only `test_secret_scan.py` runs it.

Its file name does not match `test_*.py`, so the suite never collects it on its own.
"""

from __future__ import annotations

from tests.support.secret_scan import SCANNER

ME_NAME = "query MeName { me { fullName } }"


async def test_this_test_leaks_a_planted_secret(gql, make):
    # given a value the scan is told must never appear in a response
    account = await make.account(name="canary-secret-0123456789")
    SCANNER.plant(account.user.full_name, "canary secret", anywhere=True)

    # when a response carries it (as a leak would)
    await gql.data(ME_NAME, token=account.token)


async def test_this_test_leaks_nothing(gql, make):
    account = await make.account(name="Harmless Name")
    await gql.data(ME_NAME, token=account.token)
