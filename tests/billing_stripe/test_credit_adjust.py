from __future__ import annotations

from tests.billing_stripe.helpers import BillingApp, balance_of, ledger_of
from tests.support.factories import Factories, unique_name
from tests.support.graphql import error_codes
from tests.support.ids import fake_global_id

CREDIT_ADJUST = """
mutation CreditAdjust($input: CreditAdjustInput!) {
  creditAdjust(input: $input) {
    entry { id amount kind reason balanceAfter }
    creditBalance
    errors { field message code }
  }
}
"""


def _input(organization_id: str, amount: int, reason: str, reference: str | None = None) -> dict:
    values = {"organizationId": organization_id, "amount": amount, "reason": reason}
    if reference is not None:
        values["reference"] = reference
    return {"input": values}


async def test_positive_and_negative_adjustments_are_recorded(
    billing: BillingApp, make: Factories
) -> None:
    # given
    operator = await make.platform_admin()
    tenant = await make.tenant("Billing")

    # when
    added = await billing.gql.payload(
        CREDIT_ADJUST,
        _input(tenant.organization_id, 500, "Goodwill after the outage"),
        token=operator.token,
    )
    removed = await billing.gql.payload(
        CREDIT_ADJUST,
        _input(tenant.organization_id, -200, "  Duplicate top-up  "),
        token=operator.token,
    )

    # then
    assert added["errors"] == []
    assert added["creditBalance"] == 800
    entry = added["entry"]
    assert (entry["amount"], entry["kind"], entry["reason"], entry["balanceAfter"]) == (
        500,
        "ADJUSTMENT",
        "Goodwill after the outage",
        800,
    )
    assert removed["errors"] == []
    assert removed["creditBalance"] == 600
    assert removed["entry"]["reason"] == "Duplicate top-up"
    entries = await ledger_of(tenant)
    assert [(e.kind, e.amount, e.balance_after) for e in entries] == [
        ("grant", 300, 300),
        ("adjustment", 500, 800),
        ("adjustment", -200, 600),
    ]
    assert {e.created_by_id for e in entries[1:]} == {operator.uuid}  # type: ignore[attr-defined]
    assert all(e.reference.startswith("adjust:") for e in entries[1:])
    assert await balance_of(tenant) == 600


async def test_removing_more_than_the_balance_changes_nothing(
    billing: BillingApp, make: Factories
) -> None:
    # given
    operator = await make.platform_admin()
    tenant = await make.tenant("Billing")

    # when
    payload = await billing.gql.payload(
        CREDIT_ADJUST,
        _input(tenant.organization_id, -301, "Remove too much", reference="too-much"),
        token=operator.token,
    )

    # then
    assert payload["entry"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("amount", "INSUFFICIENT_CREDITS")
    ]
    assert await balance_of(tenant) == 300
    assert [e.amount for e in await ledger_of(tenant)] == [300]

    # and exactly the balance may be removed (the same reference, now valid, applies)
    payload = await billing.gql.payload(
        CREDIT_ADJUST,
        _input(tenant.organization_id, -300, "Remove all", reference="too-much"),
        token=operator.token,
    )
    assert payload["errors"] == []
    assert payload["creditBalance"] == 0


async def test_invalid_amount_and_reason(billing: BillingApp, make: Factories) -> None:
    # given
    operator = await make.platform_admin()
    tenant = await make.tenant("Billing")
    cases = [
        (0, "A good reason", ("amount", "INVALID_AMOUNT")),
        (100_000_001, "A good reason", ("amount", "INVALID_AMOUNT")),
        (10, "ab", ("reason", "INVALID_REASON")),
        (10, "    ab    ", ("reason", "INVALID_REASON")),
        (10, "x" * 301, ("reason", "INVALID_REASON")),
    ]

    for amount, reason, expected in cases:
        # when
        payload = await billing.gql.payload(
            CREDIT_ADJUST, _input(tenant.organization_id, amount, reason), token=operator.token
        )

        # then
        assert payload["entry"] is None
        assert [(e["field"], e["code"]) for e in payload["errors"]] == [expected], (amount, reason)
    assert await balance_of(tenant) == 300


async def test_the_same_reference_applies_once(billing: BillingApp, make: Factories) -> None:
    # given
    operator = await make.platform_admin()
    tenant = await make.tenant("Billing")
    reference = unique_name("ticket")
    variables = _input(tenant.organization_id, 250, "Refund for ticket", reference=reference)

    # when
    first = await billing.gql.payload(CREDIT_ADJUST, variables, token=operator.token)
    second = await billing.gql.payload(CREDIT_ADJUST, variables, token=operator.token)

    # then
    assert first["errors"] == second["errors"] == []
    assert first["entry"]["id"] == second["entry"]["id"]
    assert second["creditBalance"] == 550
    assert await balance_of(tenant) == 550
    assert [e.reference for e in await ledger_of(tenant)][1:] == [f"adjust:{reference}"]


async def test_a_reference_of_another_organization_is_refused(
    billing: BillingApp, make: Factories
) -> None:
    # given
    operator = await make.platform_admin()
    first, second = await make.tenant("First"), await make.tenant("Second")
    reference = unique_name("ticket")
    await billing.gql.ok(
        CREDIT_ADJUST,
        _input(first.organization_id, 100, "Refund", reference=reference),
        token=operator.token,
    )

    # when
    payload = await billing.gql.payload(
        CREDIT_ADJUST,
        _input(second.organization_id, 100, "Refund", reference=reference),
        token=operator.token,
    )

    # then
    assert [e["code"] for e in payload["errors"]] == ["DUPLICATE_REFERENCE"]
    assert await balance_of(second) == 300
    assert await balance_of(first) == 400


async def test_only_platform_admins_may_adjust(billing: BillingApp, make: Factories) -> None:
    # given
    tenant = await make.tenant("Billing")
    member = await make.member(tenant, "member")
    accountant = await make.member(tenant, "billing")
    variables = _input(tenant.organization_id, 1000, "Free credits")

    for account in (tenant.owner, member, accountant):
        # when
        body = await billing.gql.execute(CREDIT_ADJUST, variables, token=account.token)

        # then
        assert body["data"] is None
        assert error_codes(body) == ["FORBIDDEN"]
    body = await billing.gql.execute(CREDIT_ADJUST, variables)
    assert error_codes(body) == ["UNAUTHENTICATED"]
    assert await balance_of(tenant) == 300


async def test_unknown_organization_is_not_found(billing: BillingApp, make: Factories) -> None:
    # given
    operator = await make.platform_admin()

    # when
    body = await billing.gql.execute(
        CREDIT_ADJUST, _input(fake_global_id("Organization"), 10, "Nobody"), token=operator.token
    )

    # then
    assert error_codes(body) == ["NOT_FOUND"]
