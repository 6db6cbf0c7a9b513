from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import strawberry

from core.rbac import Permission
from core.services import billing, credits
from graphql_api.billing.enums import BillingIncrement, CreditLedgerEntryKind, SubscriptionStatus
from graphql_api.node import Node, NodeKind
from graphql_api.pagination import (
    CountedConnection,
    after_argument,
    first_argument,
    paginate,
)
from orm.models import CreditLedgerEntry, Plan


@strawberry.type(name="Plan", description="A subscription plan: a price and credits per period.")
class PlanType(Node):
    node_kind = NodeKind("plan", None)

    key: str = strawberry.field(description="The plan's stable identifier, e.g. `starter`.")
    name: str = strawberry.field(description="The plan's name, for people.")
    monthly_price_cents: int = strawberry.field(
        description="The price per month in the currency's smallest unit: 4900 is 49.00."
    )
    currency: str = strawberry.field(
        description="The ISO 4217 code of the price's currency, lower-case, e.g. `usd`."
    )
    credits_per_period: int = strawberry.field(
        description="Credits granted each time the plan's invoice is paid."
    )
    credits_per_minute: int = strawberry.field(
        description="What a minute of a call costs, in credits."
    )
    billing_increment: BillingIncrement = strawberry.field(
        description="How a call's duration is counted."
    )
    purchasable: bool = strawberry.field(description="Has a Stripe price, so Checkout works.")

    @classmethod
    def from_model(cls, plan: Plan) -> PlanType:
        return cls(
            id=str(plan.id),
            key=plan.key,
            name=plan.name,
            monthly_price_cents=plan.monthly_price_cents,
            currency=plan.currency,
            credits_per_period=plan.credits_per_period,
            credits_per_minute=plan.credits_per_minute,
            billing_increment=BillingIncrement(plan.billing_increment),
            purchasable=bool(plan.stripe_price_id),
        )


@strawberry.type(name="CreditLedgerEntry", description="One change of the credit balance.")
class CreditLedgerEntryType(Node):
    node_kind = NodeKind("ledger_entry", Permission.BILLING_READ)

    amount: int = strawberry.field(description="Positive: credits added; negative: spent.")
    kind: CreditLedgerEntryKind = strawberry.field(description="What changed the balance.")
    reason: str = strawberry.field(
        description="Why, in words: the call's length and rate, the purchase, the admin's reason."
    )
    balance_after: int = strawberry.field(
        description="The organization's balance right after this change, in credits."
    )
    created_at: datetime = strawberry.field(description="When the balance changed.")

    @classmethod
    def from_model(cls, entry: CreditLedgerEntry) -> CreditLedgerEntryType:
        return cls(
            id=str(entry.id),
            amount=entry.amount,
            kind=CreditLedgerEntryKind(entry.kind),
            reason=entry.reason,
            balance_after=entry.balance_after,
            created_at=entry.created_at,
        )


@strawberry.type(
    name="CreditLedgerConnection", description="A page of credit ledger entries, newest first."
)
class CreditLedgerConnection(CountedConnection[CreditLedgerEntryType]):
    pass


@strawberry.type(description="What an organization's calls used since `periodStart`.")
class Usage:
    calls: int = strawberry.field(description="Calls made or received.")
    minutes: int = strawberry.field(description="Their talk time, in minutes, rounded up.")
    credits: int = strawberry.field(description="Credits they were charged.")


@strawberry.type(description="An organization's plan, balance and usage this period.")
class BillingSummary:
    plan: PlanType | None = strawberry.field(
        description="The plan subscribed to; null without a subscription."
    )
    subscription_status: SubscriptionStatus = strawberry.field(
        description="Stripe's status of the subscription; NONE without one."
    )
    current_period_end: datetime | None = strawberry.field(
        description="When the paid period ends and the plan renews; null without a subscription."
    )
    cancel_at_period_end: bool = strawberry.field(
        description="The subscription ends at `currentPeriodEnd` instead of renewing."
    )
    credit_balance: int = strawberry.field(description="Credits left to spend on calls.")
    period_start: datetime = strawberry.field(
        description="Where `usage` starts counting: the subscription's current period, or the "
        "first of this month (UTC) without one."
    )
    usage: Usage = strawberry.field(description="What calls used since `periodStart`.")
    organization_id: strawberry.Private[uuid.UUID]

    @strawberry.field(description="Balance changes, newest first.")
    async def ledger(
        self,
        first: Annotated[int | None, first_argument(CreditLedgerConnection.page_size)] = (
            CreditLedgerConnection.page_size.default
        ),
        after: Annotated[str | None, after_argument()] = None,
    ) -> CreditLedgerConnection:
        return await paginate(
            credits.get_ledger(organization_id=self.organization_id),
            first=first,
            after=after,
            to_node=CreditLedgerEntryType.from_model,
            connection=CreditLedgerConnection,
        )

    @classmethod
    def from_summary(cls, summary: billing.Summary) -> BillingSummary:
        subscription = summary.subscription
        return cls(
            plan=PlanType.from_model(summary.plan) if summary.plan else None,
            subscription_status=SubscriptionStatus.of(subscription.status)
            if subscription
            else SubscriptionStatus.NONE,
            current_period_end=subscription.current_period_end if subscription else None,
            cancel_at_period_end=bool(subscription and subscription.cancel_at_period_end),
            credit_balance=summary.organization.credit_balance,
            period_start=summary.period_start,
            usage=Usage(
                calls=summary.usage.calls,
                minutes=summary.usage.minutes,
                credits=summary.usage.credits,
            ),
            organization_id=summary.organization.id,
        )
