"""Shared steps for the billing tests: the in-process app, organizations, plans, events.

Every organization a billing test creates goes through `new_organization`, which
remembers it, so the last test can check that each balance equals its ledger.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from core.settings import Settings
from graphql_api import ids
from orm.models import CreditLedgerEntry, Organization, Plan, StripeEvent
from tests.conftest import Account, GraphQLClient, create_organization, sign_up
from tests.fakes.stripe import FakeStripe
from tests.organizations.helpers import uuid_of

APP_BASE_URL = "http://testserver.local"

# Organizations created by these tests (database ids), for the ledger invariant.
TOUCHED: set[uuid.UUID] = set()

BILLING_SUMMARY = """
query BillingSummary($id: ID!, $first: Int) {
  billingSummary(organizationId: $id) {
    plan { id key name creditsPerPeriod }
    subscriptionStatus
    currentPeriodEnd
    cancelAtPeriodEnd
    creditBalance
    periodStart
    usage { calls minutes credits }
    ledger(first: $first) {
      edges { node { amount kind reason balanceAfter createdAt } }
    }
  }
}
"""


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


async def new_organization(gql: GraphQLClient, account: Account, name: str = "Billing") -> str:
    organization_id = await create_organization(gql, account, f"{name} {uuid.uuid4().hex[:8]}")
    TOUCHED.add(uuid_of(organization_id))
    return organization_id


async def admin_with_organization(gql: GraphQLClient, name: str = "Billing") -> tuple[Account, str]:
    admin = await sign_up(gql)
    return admin, await new_organization(gql, admin, name)


async def create_plan(
    *, credits_per_period: int = 5000, price_cents: int = 4900, purchasable: bool = True
) -> Plan:
    """A plan of our own (unique key and Stripe price), so no test changes the shared ones."""
    suffix = uuid.uuid4().hex[:10]
    return await Plan.create(
        key=f"test_{suffix}",
        name=f"Test {suffix}",
        monthly_price_cents=price_cents,
        credits_per_period=credits_per_period,
        credits_per_minute=10,
        billing_increment="minute",
        stripe_price_id=f"price_{suffix}" if purchasable else None,
    )


def plan_global_id(plan: Plan) -> str:
    return ids.encode("Plan", plan.id)


async def set_customer(organization_id: str) -> str:
    """Give the organization a Stripe customer id, as its first Checkout would have."""
    customer_id = f"cus_{uuid.uuid4().hex[:14]}"
    await Organization.filter(id=uuid_of(organization_id)).update(stripe_customer_id=customer_id)
    return customer_id


async def ledger_of(organization_id: str) -> list[CreditLedgerEntry]:
    return await CreditLedgerEntry.filter(organization_id=uuid_of(organization_id)).order_by(
        "created_at", "id"
    )


async def balance_of(organization_id: str) -> int:
    organization = await Organization.get(id=uuid_of(organization_id))
    return organization.credit_balance


async def stripe_event_rows(event_id: str) -> list[StripeEvent]:
    return await StripeEvent.filter(event_id=event_id)


def error_codes(body: dict[str, Any]) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


def payload_codes(payload: dict[str, Any]) -> list[str]:
    return [error["code"] for error in payload["errors"]]


# ----- Stripe objects, shaped like the API's (only what the handlers read, and a bit more) ---


def new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:16]}"


def credits_session(
    organization_uuid: uuid.UUID,
    credits: int,
    *,
    customer: str | None = None,
    payment_status: str = "paid",
    session_id: str | None = None,
) -> dict[str, Any]:
    return {
        "id": session_id or f"cs_test_{uuid.uuid4().hex}",
        "object": "checkout.session",
        "mode": "payment",
        "status": "complete",
        "payment_status": payment_status,
        "customer": customer or new_id("cus"),
        "client_reference_id": str(organization_uuid),
        "amount_total": credits,
        "currency": "usd",
        "metadata": {
            "organization_id": str(organization_uuid),
            "kind": "credits",
            "credits": str(credits),
        },
    }


def subscription_session(
    organization_uuid: uuid.UUID, plan: Plan, *, customer: str, subscription: str
) -> dict[str, Any]:
    metadata = {
        "organization_id": str(organization_uuid),
        "kind": "subscription",
        "plan_key": plan.key,
    }
    return {
        "id": f"cs_test_{uuid.uuid4().hex}",
        "object": "checkout.session",
        "mode": "subscription",
        "status": "complete",
        "payment_status": "paid",
        "customer": customer,
        "client_reference_id": str(organization_uuid),
        "subscription": subscription,
        "metadata": metadata,
    }


def invoice(
    *,
    customer: str,
    price_id: str | None,
    period_start: int,
    period_end: int,
    subscription: str | None = None,
    invoice_id: str | None = None,
    amount: int = 4900,
    status: str = "paid",
) -> dict[str, Any]:
    line: dict[str, Any] = {
        "id": new_id("il"),
        "object": "line_item",
        "amount": amount,
        "period": {"start": period_start, "end": period_end},
    }
    if price_id:
        line["price"] = {"id": price_id, "object": "price"}
    return {
        "id": invoice_id or new_id("in"),
        "object": "invoice",
        "customer": customer,
        "subscription": subscription,
        "status": status,
        "amount_due": amount,
        "amount_paid": amount if status == "paid" else 0,
        "currency": "usd",
        "metadata": {},
        "lines": {"object": "list", "data": [line]},
    }


def subscription(
    organization_uuid: uuid.UUID,
    *,
    subscription_id: str,
    customer: str,
    status: str,
    price_id: str,
    period_start: int,
    period_end: int,
    cancel_at_period_end: bool = False,
) -> dict[str, Any]:
    return {
        "id": subscription_id,
        "object": "subscription",
        "customer": customer,
        "status": status,
        "cancel_at_period_end": cancel_at_period_end,
        "metadata": {"organization_id": str(organization_uuid), "kind": "subscription"},
        "items": {
            "object": "list",
            "data": [
                {
                    "id": new_id("si"),
                    "object": "subscription_item",
                    "price": {"id": price_id, "object": "price"},
                    "quantity": 1,
                    "current_period_start": period_start,
                    "current_period_end": period_end,
                }
            ],
        },
    }


async def final_state(gql: GraphQLClient, token: str, organization_id: str) -> dict[str, Any]:
    """What a test compares across orders: the summary and the ledger's references."""
    data = await gql.data(BILLING_SUMMARY, {"id": organization_id, "first": 100}, token=token)
    summary = data["billingSummary"]
    entries = await ledger_of(organization_id)
    organization_uuid = str(uuid_of(organization_id))
    return {
        "status": summary["subscriptionStatus"],
        "plan": summary["plan"]["key"] if summary["plan"] else None,
        "period_end": summary["currentPeriodEnd"],
        "cancel_at_period_end": summary["cancelAtPeriodEnd"],
        "balance": summary["creditBalance"],
        "ledger": sorted(
            (entry.reference.replace(organization_uuid, "<org>"), entry.kind, entry.amount)
            for entry in entries
        ),
    }
