from __future__ import annotations

import uuid

from tests.billing_stripe.helpers import (
    BillingApp,
    admin_with_organization,
    balance_of,
    error_codes,
    ledger_of,
)
from tests.conftest import Account, sign_up
from tests.organizations.helpers import add_member, fake_global_id, make_platform_admin, uuid_of

CREDIT_ADJUST = """
mutation CreditAdjust($input: CreditAdjustInput!) {
  creditAdjust(input: $input) {
    entry { id amount kind reason balanceAfter }
    creditBalance
    errors { field message code }
  }
}
"""


async def _platform_admin(billing: BillingApp) -> Account:
    account = await sign_up(billing.gql)
    await make_platform_admin(account)
    return account


def _input(organization_id: str, amount: int, reason: str, reference: str | None = None) -> dict:
    values = {"organizationId": organization_id, "amount": amount, "reason": reason}
    if reference is not None:
        values["reference"] = reference
    return {"input": values}


async def test_positive_and_negative_adjustments_are_recorded(billing: BillingApp) -> None:
    # given
    operator = await _platform_admin(billing)
    _, organization_id = await admin_with_organization(billing.gql)

    # when
    added = await billing.gql.data(
        CREDIT_ADJUST,
        _input(organization_id, 500, "Goodwill after the outage"),
        token=operator.token,
    )
    removed = await billing.gql.data(
        CREDIT_ADJUST, _input(organization_id, -200, "  Duplicate top-up  "), token=operator.token
    )

    # then
    assert added["creditAdjust"]["errors"] == []
    assert added["creditAdjust"]["creditBalance"] == 800
    entry = added["creditAdjust"]["entry"]
    assert (entry["amount"], entry["kind"], entry["reason"], entry["balanceAfter"]) == (
        500,
        "adjustment",
        "Goodwill after the outage",
        800,
    )
    assert removed["creditAdjust"]["errors"] == []
    assert removed["creditAdjust"]["creditBalance"] == 600
    assert removed["creditAdjust"]["entry"]["reason"] == "Duplicate top-up"
    entries = await ledger_of(organization_id)
    assert [(e.kind, e.amount, e.balance_after) for e in entries] == [
        ("grant", 300, 300),
        ("adjustment", 500, 800),
        ("adjustment", -200, 600),
    ]
    assert {e.created_by_id for e in entries[1:]} == {uuid_of(operator.user_id)}  # type: ignore[attr-defined]
    assert all(e.reference.startswith("adjust:") for e in entries[1:])
    assert await balance_of(organization_id) == 600


async def test_removing_more_than_the_balance_changes_nothing(billing: BillingApp) -> None:
    # given
    operator = await _platform_admin(billing)
    _, organization_id = await admin_with_organization(billing.gql)

    # when
    data = await billing.gql.data(
        CREDIT_ADJUST,
        _input(organization_id, -301, "Remove too much", reference="too-much"),
        token=operator.token,
    )

    # then
    payload = data["creditAdjust"]
    assert payload["entry"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("amount", "INSUFFICIENT_CREDITS")
    ]
    assert await balance_of(organization_id) == 300
    assert [e.amount for e in await ledger_of(organization_id)] == [300]

    # and exactly the balance may be removed (the same reference, now valid, applies)
    data = await billing.gql.data(
        CREDIT_ADJUST,
        _input(organization_id, -300, "Remove all", reference="too-much"),
        token=operator.token,
    )
    assert data["creditAdjust"]["errors"] == []
    assert data["creditAdjust"]["creditBalance"] == 0


async def test_invalid_amount_and_reason(billing: BillingApp) -> None:
    # given
    operator = await _platform_admin(billing)
    _, organization_id = await admin_with_organization(billing.gql)
    cases = [
        (0, "A good reason", ("amount", "INVALID_AMOUNT")),
        (100_000_001, "A good reason", ("amount", "INVALID_AMOUNT")),
        (10, "ab", ("reason", "INVALID_REASON")),
        (10, "    ab    ", ("reason", "INVALID_REASON")),
        (10, "x" * 301, ("reason", "INVALID_REASON")),
    ]

    for amount, reason, expected in cases:
        # when
        data = await billing.gql.data(
            CREDIT_ADJUST, _input(organization_id, amount, reason), token=operator.token
        )

        # then
        payload = data["creditAdjust"]
        assert payload["entry"] is None
        assert [(e["field"], e["code"]) for e in payload["errors"]] == [expected], (amount, reason)
    assert await balance_of(organization_id) == 300


async def test_the_same_reference_applies_once(billing: BillingApp) -> None:
    # given
    operator = await _platform_admin(billing)
    _, organization_id = await admin_with_organization(billing.gql)
    reference = f"ticket-{uuid.uuid4().hex[:8]}"
    variables = _input(organization_id, 250, "Refund for ticket", reference=reference)

    # when
    first = await billing.gql.data(CREDIT_ADJUST, variables, token=operator.token)
    second = await billing.gql.data(CREDIT_ADJUST, variables, token=operator.token)

    # then
    assert first["creditAdjust"]["errors"] == second["creditAdjust"]["errors"] == []
    assert first["creditAdjust"]["entry"]["id"] == second["creditAdjust"]["entry"]["id"]
    assert second["creditAdjust"]["creditBalance"] == 550
    assert await balance_of(organization_id) == 550
    assert [e.reference for e in await ledger_of(organization_id)][1:] == [f"adjust:{reference}"]


async def test_a_reference_of_another_organization_is_refused(billing: BillingApp) -> None:
    # given
    operator = await _platform_admin(billing)
    _, first_id = await admin_with_organization(billing.gql)
    _, second_id = await admin_with_organization(billing.gql)
    reference = f"ticket-{uuid.uuid4().hex[:8]}"
    await billing.gql.data(
        CREDIT_ADJUST, _input(first_id, 100, "Refund", reference=reference), token=operator.token
    )

    # when
    data = await billing.gql.data(
        CREDIT_ADJUST, _input(second_id, 100, "Refund", reference=reference), token=operator.token
    )

    # then
    assert [e["code"] for e in data["creditAdjust"]["errors"]] == ["DUPLICATE_REFERENCE"]
    assert await balance_of(second_id) == 300
    assert await balance_of(first_id) == 400


async def test_only_platform_admins_may_adjust(billing: BillingApp) -> None:
    # given
    admin, organization_id = await admin_with_organization(billing.gql)
    member, _ = await add_member(billing.gql, admin, organization_id, role="member")
    accountant, _ = await add_member(billing.gql, admin, organization_id, role="billing")

    for account in (admin, member, accountant):
        # when
        body = await billing.gql.execute(
            CREDIT_ADJUST, _input(organization_id, 1000, "Free credits"), token=account.token
        )

        # then
        assert body["data"] is None
        assert error_codes(body) == ["FORBIDDEN"]
    body = await billing.gql.execute(CREDIT_ADJUST, _input(organization_id, 1000, "Free credits"))
    assert error_codes(body) == ["UNAUTHENTICATED"]
    assert await balance_of(organization_id) == 300


async def test_unknown_organization_is_not_found(billing: BillingApp) -> None:
    # given
    operator = await _platform_admin(billing)

    # when
    body = await billing.gql.execute(
        CREDIT_ADJUST, _input(fake_global_id("Organization"), 10, "Nobody"), token=operator.token
    )

    # then
    assert error_codes(body) == ["NOT_FOUND"]
