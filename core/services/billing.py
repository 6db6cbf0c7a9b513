"""Plans, the organization's Stripe customer, Checkout and portal sessions, the summary."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tortoise.functions import Count, Sum

from core.errors import DescribedEnum, ServiceError
from core.integrations.stripe_billing import BillingUnavailable, StripeBilling
from core.services.credits import CreditKind
from core.settings import Settings
from orm.models import Call, CreditLedgerEntry, Organization, Plan, Subscription

log = logging.getLogger(__name__)


class BillingErrorCode(DescribedEnum):
    PLAN_NOT_FOUND = "plan_not_found", "`planId` names no plan on offer."
    PLAN_NOT_PURCHASABLE = (
        "plan_not_purchasable",
        "The plan has no Stripe price, so it cannot be bought (`Plan.purchasable` is false).",
    )
    INVALID_CREDITS = (
        "invalid_credits",
        "`credits` is outside what one purchase may buy (the message gives the range).",
    )
    NO_CUSTOMER = (
        "no_customer",
        "The organization has bought nothing yet, so there is no billing account to manage.",
    )
    BILLING_UNAVAILABLE = (
        "billing_unavailable",
        "Stripe is not configured on this platform or did not answer; try again shortly.",
    )


async def sync_plans(*, settings: Settings) -> list[str]:
    """Upsert the plans of BILLING_PLANS by key; plans no longer listed are deactivated."""
    seen = []
    for raw in settings.billing_plans:
        values = {
            "name": str(raw["name"]),
            "monthly_price_cents": int(raw["monthly_price_cents"]),
            "currency": str(raw.get("currency", "usd")).lower(),
            "credits_per_period": int(raw["credits_per_period"]),
            "credits_per_minute": int(raw["credits_per_minute"]),
            "billing_increment": str(raw.get("billing_increment", "minute")),
            "stripe_price_id": raw.get("stripe_price_id") or None,
            "is_active": True,
        }
        if values["billing_increment"] not in ("minute", "second"):
            raise ValueError(f"plan {raw['key']}: billing_increment must be minute or second")
        await Plan.update_or_create(key=str(raw["key"]), defaults=values)
        seen.append(str(raw["key"]))
    await Plan.exclude(key__in=seen).update(is_active=False)
    return seen


async def get_plans(*, only_active: bool = True) -> list[Plan]:
    query = Plan.filter(is_active=True) if only_active else Plan.all()
    return await query.order_by("monthly_price_cents", "key")


async def ensure_customer(
    *, organization: Organization, stripe: StripeBilling, email: str | None
) -> str:
    """The organization's one Stripe customer, created on first need."""
    if organization.stripe_customer_id:
        return organization.stripe_customer_id
    customer_id = await stripe.create_customer(
        organization_id=str(organization.id), name=organization.name, email=email
    )
    # First writer wins; Stripe's idempotency key already made concurrent creates one customer.
    await Organization.filter(id=organization.id, stripe_customer_id=None).update(
        stripe_customer_id=customer_id
    )
    await organization.refresh_from_db(fields=["stripe_customer_id"])
    return organization.stripe_customer_id or customer_id


def _urls(settings: Settings, outcome: str) -> str:
    return f"{settings.dashboard_url.rstrip('/')}/billing?checkout={outcome}"


async def subscription_checkout(
    *, organization: Organization, plan_id: uuid.UUID, email: str | None, settings: Settings
) -> str:
    """A Checkout URL that starts (or changes) the organization's subscription."""
    plan = await Plan.get_or_none(id=plan_id, is_active=True)
    if plan is None:
        raise ServiceError.single(BillingErrorCode.PLAN_NOT_FOUND, "No such plan.", "plan_id")
    if not plan.stripe_price_id:
        raise ServiceError.single(
            BillingErrorCode.PLAN_NOT_PURCHASABLE,
            "This plan has no Stripe price configured.",
            "plan_id",
        )
    return await _with_stripe(
        settings, lambda stripe: _subscription_checkout(stripe, organization, plan, email, settings)
    )


async def _subscription_checkout(
    stripe: StripeBilling,
    organization: Organization,
    plan: Plan,
    email: str | None,
    settings: Settings,
) -> str:
    customer = await ensure_customer(organization=organization, stripe=stripe, email=email)
    return await stripe.subscription_checkout(
        customer_id=customer,
        price_id=plan.stripe_price_id or "",
        organization_id=str(organization.id),
        plan_key=plan.key,
        success_url=_urls(settings, "success"),
        cancel_url=_urls(settings, "canceled"),
    )


async def credits_checkout(
    *, organization: Organization, credits: int, email: str | None, settings: Settings
) -> str:
    """A Checkout URL for a one-off purchase of credits."""
    if not settings.credit_purchase_min <= credits <= settings.credit_purchase_max:
        raise ServiceError.single(
            BillingErrorCode.INVALID_CREDITS,
            f"Buy between {settings.credit_purchase_min} and {settings.credit_purchase_max} "
            "credits.",
            "credits",
        )

    async def checkout(stripe: StripeBilling) -> str:
        customer = await ensure_customer(organization=organization, stripe=stripe, email=email)
        return await stripe.credits_checkout(
            customer_id=customer,
            credits=credits,
            unit_amount_cents=settings.credit_price_cents,
            currency="usd",
            organization_id=str(organization.id),
            success_url=_urls(settings, "success"),
            cancel_url=_urls(settings, "canceled"),
        )

    return await _with_stripe(settings, checkout)


async def portal(*, organization: Organization, settings: Settings) -> str:
    """A Stripe customer-portal URL (invoices, payment method, cancellation)."""
    if not organization.stripe_customer_id:
        raise ServiceError.single(
            BillingErrorCode.NO_CUSTOMER,
            "There is nothing to manage yet: buy a plan or credits first.",
        )
    customer_id = organization.stripe_customer_id
    return await _with_stripe(
        settings,
        lambda stripe: stripe.portal(
            customer_id=customer_id, return_url=f"{settings.dashboard_url.rstrip('/')}/billing"
        ),
    )


_clients: dict[tuple[str, str], StripeBilling] = {}


def _stripe(settings: Settings) -> StripeBilling:
    """One SDK client (and so one connection pool) per key and API base, for the process."""
    key = (
        settings.stripe_secret_key.get_secret_value() if settings.stripe_secret_key else "",
        settings.stripe_api_base,
    )
    if key not in _clients:
        _clients[key] = StripeBilling(settings)
    return _clients[key]


async def _with_stripe(
    settings: Settings, action: Callable[[StripeBilling], Awaitable[str]]
) -> str:
    try:
        return await action(_stripe(settings))
    except BillingUnavailable as failure:
        log.error("stripe call failed", extra={"reason": str(failure)})
        raise ServiceError.single(
            BillingErrorCode.BILLING_UNAVAILABLE,
            "Billing is not available right now. Try again shortly.",
        ) from None


@dataclass(frozen=True)
class Usage:
    calls: int
    minutes: int
    credits: int


@dataclass(frozen=True)
class Summary:
    organization: Organization
    subscription: Subscription | None
    plan: Plan | None
    period_start: datetime
    usage: Usage


async def summary(*, organization: Organization) -> Summary:
    """Plan, status, balance and usage in the current period (or this month without one)."""
    subscription = await Subscription.get_or_none(organization_id=organization.id).select_related(
        "plan"
    )
    now = datetime.now(UTC)
    start = (subscription.current_period_start if subscription else None) or now.replace(
        day=1, hour=0, minute=0, second=0, microsecond=0
    )
    calls = (
        await Call.filter(organization_id=organization.id, created_at__gte=start)
        .annotate(n=Count("id"), seconds=Sum("duration_seconds"))
        .first()
        .values("n", "seconds")
    )
    charged = (
        await CreditLedgerEntry.filter(
            organization_id=organization.id, kind=CreditKind.CHARGE.value, created_at__gte=start
        )
        .annotate(total=Sum("amount"))
        .first()
        .values("total")
    )
    seconds = int((calls or {}).get("seconds") or 0)
    return Summary(
        organization=organization,
        subscription=subscription,
        plan=subscription.plan if subscription else None,
        period_start=start,
        usage=Usage(
            calls=int((calls or {}).get("n") or 0),
            minutes=(seconds + 59) // 60,
            credits=-int((charged or {}).get("total") or 0),
        ),
    )


def metadata_of(stripe_object: dict[str, Any]) -> dict[str, Any]:
    metadata = stripe_object.get("metadata")
    return metadata if isinstance(metadata, dict) else {}
