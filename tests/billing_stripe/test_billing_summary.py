from __future__ import annotations

from datetime import UTC, datetime

from tests.billing_stripe.helpers import (
    BILLING_SUMMARY,
    BillingApp,
    admin_with_organization,
    error_codes,
)
from tests.organizations.helpers import add_member


async def test_new_organization_has_no_plan_and_the_welcome_credits(billing: BillingApp) -> None:
    # given
    admin, organization_id = await admin_with_organization(billing.gql)

    # when
    data = await billing.gql.data(BILLING_SUMMARY, {"id": organization_id}, token=admin.token)

    # then
    summary = data["billingSummary"]
    assert summary["plan"] is None
    assert summary["subscriptionStatus"] == "none"
    assert summary["currentPeriodEnd"] is None
    assert summary["cancelAtPeriodEnd"] is False
    assert summary["creditBalance"] == 300
    assert summary["usage"] == {"calls": 0, "minutes": 0, "credits": 0}
    # Without a subscription the period is the calendar month.
    period_start = datetime.fromisoformat(summary["periodStart"])
    now = datetime.now(UTC)
    assert (period_start.year, period_start.month, period_start.day) == (now.year, now.month, 1)
    entries = [edge["node"] for edge in summary["ledger"]["edges"]]
    assert [
        (entry["amount"], entry["kind"], entry["reason"], entry["balanceAfter"])
        for entry in entries
    ] == [(300, "grant", "Welcome credits", 300)]


async def test_billing_member_can_read_the_summary(billing: BillingApp) -> None:
    # given
    admin, organization_id = await admin_with_organization(billing.gql)
    accountant, _ = await add_member(billing.gql, admin, organization_id, role="billing")

    # when
    data = await billing.gql.data(BILLING_SUMMARY, {"id": organization_id}, token=accountant.token)

    # then
    assert data["billingSummary"]["creditBalance"] == 300


async def test_plain_member_is_forbidden(billing: BillingApp) -> None:
    # given: members lack billing:read (docs/permissions.md)
    admin, organization_id = await admin_with_organization(billing.gql)
    member, _ = await add_member(billing.gql, admin, organization_id, role="member")

    # when
    body = await billing.gql.execute(BILLING_SUMMARY, {"id": organization_id}, token=member.token)

    # then
    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN"]


async def test_another_organization_is_not_found(billing: BillingApp) -> None:
    # given
    _, organization_id = await admin_with_organization(billing.gql)
    outsider, _ = await admin_with_organization(billing.gql, "Outsider")

    # when
    body = await billing.gql.execute(BILLING_SUMMARY, {"id": organization_id}, token=outsider.token)

    # then
    assert body["data"] is None
    assert error_codes(body) == ["NOT_FOUND"]


async def test_anonymous_is_unauthenticated(billing: BillingApp) -> None:
    # given
    _, organization_id = await admin_with_organization(billing.gql)

    # when
    body = await billing.gql.execute(BILLING_SUMMARY, {"id": organization_id})

    # then
    assert body["data"] is None
    assert error_codes(body) == ["UNAUTHENTICATED"]
