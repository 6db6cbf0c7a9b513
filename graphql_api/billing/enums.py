"""The closed sets of billing values, as GraphQL enums (values are what the rows hold)."""

from __future__ import annotations

import enum
import logging

import strawberry

from core.services.credits import CreditKind

log = logging.getLogger(__name__)


@strawberry.enum(name="BillingIncrement", description="How a call's duration is charged.")
class BillingIncrement(enum.Enum):
    MINUTE = strawberry.enum_value(
        "minute", description="Per started minute: a call of 61 s costs two minutes."
    )
    SECOND = strawberry.enum_value(
        "second", description="Per second: a call of 90 s costs one and a half minutes."
    )


@strawberry.enum(name="CreditLedgerEntryKind", description="What changed the credit balance.")
class CreditLedgerEntryKind(enum.Enum):
    GRANT = strawberry.enum_value(
        CreditKind.GRANT.value, description="The credits of a plan's period."
    )
    PURCHASE = strawberry.enum_value(CreditKind.PURCHASE.value, description="A top-up bought.")
    CHARGE = strawberry.enum_value(CreditKind.CHARGE.value, description="A call's cost.")
    ADJUSTMENT = strawberry.enum_value(
        CreditKind.ADJUSTMENT.value, description="A platform admin's correction (`creditAdjust`)."
    )


@strawberry.enum(
    name="SubscriptionStatus",
    description="The organization's subscription, as Stripe reports it "
    "(https://docs.stripe.com/billing/subscriptions/overview#subscription-statuses).",
)
class SubscriptionStatus(enum.Enum):
    NONE = strawberry.enum_value("none", description="No subscription: never subscribed.")
    INCOMPLETE = strawberry.enum_value(
        "incomplete", description="The first payment has not succeeded yet."
    )
    INCOMPLETE_EXPIRED = strawberry.enum_value(
        "incomplete_expired", description="The first payment never succeeded; it expired."
    )
    TRIALING = strawberry.enum_value("trialing", description="In a free trial.")
    ACTIVE = strawberry.enum_value("active", description="Paid and running.")
    PAST_DUE = strawberry.enum_value(
        "past_due", description="A renewal payment failed; Stripe retries it."
    )
    CANCELED = strawberry.enum_value("canceled", description="Ended.")
    UNPAID = strawberry.enum_value(
        "unpaid", description="Renewal payments failed and Stripe stopped retrying."
    )
    PAUSED = strawberry.enum_value("paused", description="Paused at the end of a trial.")
    UNKNOWN = strawberry.enum_value(
        "unknown", description="A status Stripe added after this API was written."
    )

    @classmethod
    def of(cls, stripe_status: str) -> SubscriptionStatus:
        try:
            return cls(stripe_status)
        except ValueError:
            # Stripe's list grows now and then: show UNKNOWN rather than fail the summary.
            log.warning("unknown Stripe subscription status %r", stripe_status)
            return cls.UNKNOWN
