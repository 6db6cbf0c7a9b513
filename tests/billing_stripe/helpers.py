"""What the billing tests share: the in-process app wired to the fake Stripe, plans of their
own, and reading an organization's money back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from core.settings import Settings
from orm.models import CreditLedgerEntry, Organization, Plan, StripeEvent
from tests.fakes.stripe import FakeStripe, new_id
from tests.support.factories import Tenant, unique_name
from tests.support.graphql import GraphQLClient
from tests.support.ids import global_id
from tests.support.operations import BILLING_SUMMARY


@dataclass
class BillingApp:
    settings: Settings
    http: httpx.AsyncClient
    gql: GraphQLClient
    stripe: FakeStripe

    async def deliver(
        self,
        event: dict[str, Any] | str,
        *,
        secret: str | None = None,
        timestamp: int | None = None,
    ) -> httpx.Response:
        """POST a webhook delivery signed with the SDK's code (the fake's secret by default)."""
        body, headers = self.stripe.signed(event, secret=secret, timestamp=timestamp)
        return await self.http.post("/webhooks/stripe", content=body, headers=headers)


async def create_plan(
    *, credits_per_period: int = 5000, price_cents: int = 4900, purchasable: bool = True
) -> Plan:
    """A plan of the test's own (its own key and Stripe price), beside the seeded ones."""
    key = unique_name("test_plan")
    return await Plan.create(
        key=key,
        name=f"Test {key}",
        monthly_price_cents=price_cents,
        credits_per_period=credits_per_period,
        credits_per_minute=10,
        billing_increment="minute",
        stripe_price_id=f"price_{key}" if purchasable else None,
    )


def plan_global_id(plan: Plan) -> str:
    return global_id("Plan", plan.id)


async def set_customer(tenant: Tenant) -> str:
    """Give the organization a Stripe customer id, as its first Checkout would have."""
    customer_id = new_id("cus")
    await Organization.filter(id=tenant.organization_uuid).update(stripe_customer_id=customer_id)
    return customer_id


async def ledger_of(tenant: Tenant) -> list[CreditLedgerEntry]:
    return await CreditLedgerEntry.filter(organization_id=tenant.organization_uuid).order_by(
        "created_at", "id"
    )


async def balance_of(tenant: Tenant) -> int:
    organization = await Organization.get(id=tenant.organization_uuid)
    return organization.credit_balance


async def stripe_event_rows(event_id: str) -> list[StripeEvent]:
    return await StripeEvent.filter(event_id=event_id)


async def final_state(gql: GraphQLClient, tenant: Tenant) -> dict[str, Any]:
    """What a test compares across orders: the summary and the ledger's references."""
    data = await gql.data(
        BILLING_SUMMARY, {"id": tenant.organization_id, "first": 100}, token=tenant.token
    )
    summary = data["billingSummary"]
    organization_uuid = str(tenant.organization_uuid)
    return {
        "status": summary["subscriptionStatus"],
        "plan": summary["plan"]["key"] if summary["plan"] else None,
        "period_end": summary["currentPeriodEnd"],
        "cancel_at_period_end": summary["cancelAtPeriodEnd"],
        "balance": summary["creditBalance"],
        "ledger": sorted(
            (entry.reference.replace(organization_uuid, "<org>"), entry.kind, entry.amount)
            for entry in await ledger_of(tenant)
        ),
    }
