"""Runs last in this folder: after everything above, every balance equals its ledger."""

from __future__ import annotations

from tortoise.functions import Sum

from orm.models import CreditLedgerEntry, Organization
from tests.billing_stripe.helpers import TOUCHED, BillingApp


async def test_every_balance_equals_the_sum_of_its_ledger(billing: BillingApp) -> None:
    # given: the organizations the billing tests created (all of them, when run as a folder)
    assert TOUCHED

    # when
    balances = dict(await Organization.filter(id__in=TOUCHED).values_list("id", "credit_balance"))
    sums = {
        row["organization_id"]: int(row["total"] or 0)
        for row in await CreditLedgerEntry.filter(organization_id__in=TOUCHED)
        .annotate(total=Sum("amount"))
        .group_by("organization_id")
        .values("organization_id", "total")
    }

    # then
    assert set(balances) == TOUCHED
    assert {org: balances[org] for org in TOUCHED} == {org: sums.get(org, 0) for org in TOUCHED}
    # and every entry's balance_after is the running sum
    for organization_id in TOUCHED:
        running = 0
        entries = await CreditLedgerEntry.filter(organization_id=organization_id).order_by(
            "created_at", "id"
        )
        for entry in entries:
            running += entry.amount
            assert entry.balance_after == running, (organization_id, entry.reference)
