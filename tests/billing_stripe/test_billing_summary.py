from __future__ import annotations

from datetime import UTC, datetime

from tests.billing_stripe.helpers import BillingApp
from tests.support.factories import Factories
from tests.support.graphql import error_codes
from tests.support.operations import BILLING_SUMMARY


async def test_new_organization_has_no_plan_and_the_welcome_credits(
    billing: BillingApp, make: Factories
) -> None:
    # given
    tenant = await make.tenant("Billing")

    # when
    data = await billing.gql.data(
        BILLING_SUMMARY, {"id": tenant.organization_id}, token=tenant.token
    )

    # then
    summary = data["billingSummary"]
    assert summary["plan"] is None
    assert summary["subscriptionStatus"] == "NONE"
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
    ] == [(300, "GRANT", "Welcome credits", 300)]


async def test_billing_member_can_read_the_summary(billing: BillingApp, make: Factories) -> None:
    # given
    tenant = await make.tenant("Billing")
    accountant = await make.member(tenant, "billing")

    # when
    data = await billing.gql.data(
        BILLING_SUMMARY, {"id": tenant.organization_id}, token=accountant.token
    )

    # then
    assert data["billingSummary"]["creditBalance"] == 300


async def test_plain_member_is_forbidden(billing: BillingApp, make: Factories) -> None:
    # given: members lack billing:read (docs/permissions.md)
    tenant = await make.tenant("Billing")
    member = await make.member(tenant, "member")

    # when
    body = await billing.gql.execute(
        BILLING_SUMMARY, {"id": tenant.organization_id}, token=member.token
    )

    # then
    assert body["data"] == {"billingSummary": None}
    assert error_codes(body) == ["FORBIDDEN"]


async def test_another_organization_is_not_found(billing: BillingApp, make: Factories) -> None:
    # given
    tenant = await make.tenant("Billing")
    outsider = await make.tenant("Outsider")

    # when
    body = await billing.gql.execute(
        BILLING_SUMMARY, {"id": tenant.organization_id}, token=outsider.token
    )

    # then
    assert body["data"] == {"billingSummary": None}
    assert error_codes(body) == ["NOT_FOUND"]


async def test_anonymous_is_unauthenticated(billing: BillingApp, make: Factories) -> None:
    # given
    tenant = await make.tenant("Billing")

    # when
    body = await billing.gql.execute(BILLING_SUMMARY, {"id": tenant.organization_id})

    # then
    assert body["data"] == {"billingSummary": None}
    assert error_codes(body) == ["UNAUTHENTICATED"]
