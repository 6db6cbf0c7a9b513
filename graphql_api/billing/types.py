from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import relay

from core.services import billing
from graphql_api.pagination import paginate
from orm.models import CreditLedgerEntry, Plan


@strawberry.type(name="Plan", description="A subscription plan: a price and credits per period.")
class PlanType(relay.Node):
    id: relay.NodeID[str]
    key: str
    name: str
    monthly_price_cents: int
    currency: str
    credits_per_period: int
    credits_per_minute: int = strawberry.field(description="What a call minute costs.")
    billing_increment: str = strawberry.field(
        description="`minute`: per started minute; `second`: per second."
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
            billing_increment=plan.billing_increment,
            purchasable=bool(plan.stripe_price_id),
        )


@strawberry.type(name="CreditLedgerEntry", description="One change of the credit balance.")
class CreditLedgerEntryType(relay.Node):
    id: relay.NodeID[str]
    amount: int = strawberry.field(description="Positive: credits added; negative: spent.")
    kind: str = strawberry.field(description="grant, purchase, charge or adjustment")
    reason: str
    balance_after: int
    created_at: datetime

    @classmethod
    def from_model(cls, entry: CreditLedgerEntry) -> CreditLedgerEntryType:
        return cls(
            id=str(entry.id),
            amount=entry.amount,
            kind=entry.kind,
            reason=entry.reason,
            balance_after=entry.balance_after,
            created_at=entry.created_at,
        )


@strawberry.type(name="CreditLedgerConnection")
class CreditLedgerConnection(relay.Connection[CreditLedgerEntryType]):
    pass


@strawberry.type
class Usage:
    calls: int
    minutes: int
    credits: int


@strawberry.type(description="An organization's plan, balance and usage this period.")
class BillingSummary:
    plan: PlanType | None
    subscription_status: str = strawberry.field(
        description="Stripe's status (active, past_due, canceled, ...) or `none`."
    )
    current_period_end: datetime | None
    cancel_at_period_end: bool
    credit_balance: int
    period_start: datetime
    usage: Usage
    organization_id: strawberry.Private[object]

    @strawberry.field(description="Balance changes, newest first.")
    async def ledger(
        self, first: int | None = 20, after: str | None = None
    ) -> CreditLedgerConnection:
        return await paginate(  # type: ignore[return-value]
            CreditLedgerEntry.filter(organization_id=self.organization_id),
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
            subscription_status=subscription.status if subscription else "none",
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
