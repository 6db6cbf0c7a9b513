"""Plans, subscriptions, the credit ledger and processed Stripe events."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from uuid import UUID

from tortoise import fields

from orm.models.base import TimestampedModel

if TYPE_CHECKING:
    from orm.models.accounts import User
    from orm.models.calls import Call
    from orm.models.organizations import Organization


class Plan(TimestampedModel):
    key = fields.CharField(max_length=64, unique=True)
    name = fields.CharField(max_length=100)
    monthly_price_cents = fields.IntField()
    currency = fields.CharField(max_length=3, default="usd", db_default="usd")
    credits_per_period = fields.IntField()
    # What a call costs: credits per minute, counted per started minute or per second.
    credits_per_minute = fields.IntField()
    billing_increment = fields.CharField(max_length=8, default="minute", db_default="minute")
    stripe_price_id = fields.CharField(max_length=100, unique=True, null=True)
    is_active = fields.BooleanField(default=True, db_default=True)

    class Meta:
        table = "plans"


class Subscription(TimestampedModel):
    organization: fields.OneToOneRelation[Organization] = fields.OneToOneField(
        "models.Organization", related_name="subscription", on_delete=fields.CASCADE
    )
    organization_id: UUID
    plan: fields.ForeignKeyNullableRelation[Plan] = fields.ForeignKeyField(
        "models.Plan", related_name="subscriptions", null=True, on_delete=fields.SET_NULL
    )
    plan_id: UUID | None
    stripe_subscription_id = fields.CharField(max_length=100, unique=True, null=True)
    status = fields.CharField(max_length=32, default="none", db_default="none")
    current_period_start = fields.DatetimeField(null=True)
    current_period_end = fields.DatetimeField(null=True)
    cancel_at_period_end = fields.BooleanField(default=False, db_default=False)
    # The Stripe event the state above comes from: only a newer one may replace it,
    # so events applied in any order leave the same final state.
    state_event_created = fields.BigIntField(default=0, db_default=0)
    state_event_id = fields.CharField(max_length=100, default="", db_default="")
    # The same for the fields not every event carries: the plan and the cancel flag.
    plan_event_created = fields.BigIntField(default=0, db_default=0)
    plan_event_id = fields.CharField(max_length=100, default="", db_default="")

    class Meta:
        table = "subscriptions"


class CreditLedgerEntry(TimestampedModel):
    """Append-only. The balance equals the sum of `amount` over an organization's entries."""

    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="ledger", on_delete=fields.CASCADE
    )
    organization_id: UUID
    amount = fields.BigIntField()
    kind = fields.CharField(max_length=16)
    reason = fields.CharField(max_length=300)
    # What caused it (a Stripe invoice or session, a call, an adjustment): applied once.
    reference = fields.CharField(max_length=200, unique=True)
    balance_after = fields.BigIntField()
    call: fields.ForeignKeyNullableRelation[Call] = fields.ForeignKeyField(
        "models.Call", related_name="ledger_entries", null=True, on_delete=fields.SET_NULL
    )
    call_id: UUID | None
    created_by: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="ledger_entries", null=True, on_delete=fields.SET_NULL
    )
    created_by_id: UUID | None
    data: fields.JSONField[dict[str, Any]] = fields.JSONField(default=dict)

    class Meta:
        table = "credit_ledger"


class StripeEvent(TimestampedModel):
    """A Stripe event processed once, recorded in the transaction that processed it."""

    event_id = fields.CharField(max_length=100, unique=True)
    type = fields.CharField(max_length=100)
    stripe_created = fields.BigIntField()
    outcome = fields.CharField(max_length=32)

    class Meta:
        table = "stripe_events"
