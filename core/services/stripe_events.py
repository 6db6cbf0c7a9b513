"""Applying Stripe events: once each, and to the same final state in any order.

Each event id is recorded in the transaction that applies it, so a duplicate
(or a concurrent redelivery) changes nothing. Credits are granted per unique
reference (the invoice, the Checkout session), so they add up whatever the
order. The subscription's state comes from the newest event by Stripe's
`created` time (ties broken by event id), so late arrivals never roll it back.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from core import tenancy
from core.email import outbox
from core.services import credits
from core.services.billing import metadata_of
from core.services.credits import CreditKind, billing_recipients
from core.settings import Settings
from orm.models import Organization, Plan, StripeEvent, Subscription

log = logging.getLogger(__name__)

Handler = Callable[[dict[str, Any], dict[str, Any], Settings], Awaitable[str]]

_STRIPE_STATUS_NAMES = {
    "active": "active",
    "trialing": "trialing",
    "past_due": "past due",
    "unpaid": "unpaid",
    "canceled": "canceled",
    "incomplete": "incomplete",
    "incomplete_expired": "expired",
    "paused": "paused",
}


async def process(event: dict[str, Any], *, settings: Settings) -> str:
    """Apply a verified event once; returns what happened (for the log)."""
    event_id, event_type = str(event.get("id", "")), str(event.get("type", ""))
    if not event_id or not isinstance(event.get("data"), dict):
        return "malformed"
    if await StripeEvent.exists(event_id=event_id):
        return "duplicate"
    handler = HANDLERS.get(event_type)
    for attempt in range(3):
        try:
            async with in_transaction():
                record = await StripeEvent.create(
                    event_id=event_id,
                    type=event_type[:100],
                    stripe_created=int(event.get("created") or 0),
                    outcome="processing",
                )
                outcome = "ignored"
                if handler is not None:
                    outcome = await handler(event["data"].get("object") or {}, event, settings)
                record.outcome = outcome[:32]
                await record.save(update_fields=["outcome", "updated_at"])
            break
        except IntegrityError:
            if await StripeEvent.exists(event_id=event_id):
                return "duplicate"  # the same event committed concurrently
            if attempt == 2:
                raise  # unresolved: a 5xx makes Stripe deliver it again later
            # Another event with the same reference (one invoice under two event ids)
            # committed first: apply this one again, now a no-op, so it is recorded too.
    if handler is None:
        log.info("stripe event acknowledged without handling", extra={"type": event_type})
    return outcome


async def _organization_for(obj: dict[str, Any]) -> Organization | None:
    """The organization a verified event names (in its metadata, set by our checkout, or by
    its Stripe customer); the request reaches it from then on."""
    organization_id = metadata_of(obj).get("organization_id") or obj.get("client_reference_id")
    if organization_id:
        try:
            named = uuid.UUID(str(organization_id))
        except ValueError:
            named = None
        if named is not None:
            tenancy.admit([named])
            found = await Organization.get_or_none(id=named)
            if found is not None:
                return found
    customer = obj.get("customer")
    if isinstance(customer, str) and customer:
        customer_of = await tenancy.stripe_customer_organization(customer)
        tenancy.admit([customer_of])
        return await Organization.get_or_none(id=customer_of) if customer_of else None
    return None


async def checkout_completed(obj: dict[str, Any], event: dict[str, Any], settings: Settings) -> str:
    organization = await _organization_for(obj)
    if organization is None:
        return "unmatched"
    await _remember_customer(organization, obj.get("customer"))
    metadata = metadata_of(obj)
    if obj.get("mode") == "payment" and metadata.get("kind") == "credits":
        if obj.get("payment_status") != "paid":
            return "unpaid"
        amount = int(metadata.get("credits") or 0)
        if amount <= 0:
            return "malformed"
        await credits.apply_in_transaction(
            organization_id=organization.id,
            amount=amount,
            kind=CreditKind.PURCHASE,
            reason=f"Purchase of {amount} credits",
            reference=f"checkout:{obj.get('id')}",
            settings=settings,
            data={"checkout_session": obj.get("id")},
        )
        return "credits_purchased"
    if obj.get("mode") == "subscription":
        plan = await Plan.get_or_none(key=str(metadata.get("plan_key") or ""))
        await _apply_subscription_state(
            organization,
            event,
            status="active" if obj.get("payment_status") == "paid" else None,
            stripe_subscription_id=obj.get("subscription"),
            plan=plan,
            settings=settings,
        )
        return "subscription_started"
    return "ignored"


async def invoice_paid(obj: dict[str, Any], event: dict[str, Any], settings: Settings) -> str:
    organization = await _organization_for(obj) or await _organization_of_subscription(obj)
    if organization is None:
        return "unmatched"
    line = _first_line(obj)
    price_id = ((line.get("price") or {}).get("id")) or _pricing_price(line)
    plan = await Plan.get_or_none(stripe_price_id=price_id) if price_id else None
    if plan is None:
        subscription = await Subscription.get_or_none(
            organization_id=organization.id
        ).select_related("plan")
        plan = subscription.plan if subscription else None
    if plan is None:
        return "no_plan"
    period = line.get("period") or {}
    await credits.apply_in_transaction(
        organization_id=organization.id,
        amount=plan.credits_per_period,
        kind=CreditKind.GRANT,
        reason=f"{plan.name} plan credits",
        reference=f"invoice:{obj.get('id')}",
        settings=settings,
        data={"invoice": obj.get("id"), "plan": plan.key},
    )
    subscription, _ = await Subscription.get_or_create(organization_id=organization.id)
    end = _timestamp(period.get("end"))
    if end and (subscription.current_period_end is None or end > subscription.current_period_end):
        subscription.current_period_start = _timestamp(period.get("start"))
        subscription.current_period_end = end
        await subscription.save()
    return "credits_granted"


async def invoice_payment_failed(
    obj: dict[str, Any], event: dict[str, Any], settings: Settings
) -> str:
    organization = await _organization_for(obj) or await _organization_of_subscription(obj)
    if organization is None:
        return "unmatched"
    await _apply_subscription_state(
        organization, event, status="past_due", settings=settings, notify=False
    )
    amount = obj.get("amount_due")
    currency = str(obj.get("currency") or "usd").upper()
    for email in await billing_recipients(organization.id):
        await outbox.enqueue(
            to_address=email,
            template="payment_failed",
            values={
                "organization": organization.name,
                "amount": f"{int(amount) / 100:.2f} {currency}"
                if isinstance(amount, int)
                else "the amount due",
                "link": f"{settings.dashboard_url.rstrip('/')}/billing",
            },
        )
    return "payment_failed"


async def subscription_changed(
    obj: dict[str, Any], event: dict[str, Any], settings: Settings
) -> str:
    organization = await _organization_for(obj)
    if organization is None:
        return "unmatched"
    await _remember_customer(organization, obj.get("customer"))
    deleted = event.get("type") == "customer.subscription.deleted"
    item = ((obj.get("items") or {}).get("data") or [{}])[0]
    price_id = (item.get("price") or {}).get("id")
    plan = await Plan.get_or_none(stripe_price_id=price_id) if price_id else None
    await _apply_subscription_state(
        organization,
        event,
        status="canceled" if deleted else str(obj.get("status") or ""),
        stripe_subscription_id=obj.get("id"),
        plan=plan,
        period_start=_timestamp(
            obj.get("current_period_start") or item.get("current_period_start")
        ),
        period_end=_timestamp(obj.get("current_period_end") or item.get("current_period_end")),
        cancel_at_period_end=bool(obj.get("cancel_at_period_end")),
        settings=settings,
    )
    return "subscription_updated"


async def _apply_subscription_state(
    organization: Organization,
    event: dict[str, Any],
    *,
    settings: Settings,
    status: str | None,
    stripe_subscription_id: Any = None,
    plan: Plan | None = None,
    period_start: datetime | None = None,
    period_end: datetime | None = None,
    cancel_at_period_end: bool | None = None,
    notify: bool = True,
) -> None:
    existing, _ = await Subscription.get_or_create(organization_id=organization.id)
    subscription = await Subscription.filter(id=existing.id).select_for_update().first()
    assert subscription is not None
    stamp = (int(event.get("created") or 0), str(event.get("id") or ""))
    newest_yet = stamp > (subscription.state_event_created, subscription.state_event_id)
    # A late event about an older subscription must not bring its id back.
    if (
        isinstance(stripe_subscription_id, str)
        and stripe_subscription_id
        and (newest_yet or subscription.stripe_subscription_id is None)
    ):
        subscription.stripe_subscription_id = stripe_subscription_id
    # Fields only some events carry (the plan; the cancel flag, from subscription objects)
    # follow the newest event that carries them, not the newest event of any kind.
    carries = plan is not None or cancel_at_period_end is not None
    if carries and stamp > (subscription.plan_event_created, subscription.plan_event_id):
        if plan is not None:
            subscription.plan = plan
        if cancel_at_period_end is not None:
            subscription.cancel_at_period_end = cancel_at_period_end
        subscription.plan_event_created, subscription.plan_event_id = stamp
    newer = stamp > (subscription.state_event_created, subscription.state_event_id)
    old_status = subscription.status
    # Periods only move forward, like invoice_paid's: a newer event without a period (a
    # failed payment) must not keep an older event's period out when that one comes later.
    if period_end is not None and (
        subscription.current_period_end is None or period_end > subscription.current_period_end
    ):
        subscription.current_period_start = period_start or subscription.current_period_start
        subscription.current_period_end = period_end
    if newer and status:
        subscription.status = status
        subscription.state_event_created, subscription.state_event_id = stamp
    await subscription.save()
    if notify and newer and status and status != old_status and old_status != "none":
        current_plan = (
            await Plan.get_or_none(id=subscription.plan_id) if subscription.plan_id else None
        )
        plan_name = current_plan.name if current_plan else "your"
        for email in await billing_recipients(organization.id):
            await outbox.enqueue(
                to_address=email,
                template="subscription_status",
                values={
                    "organization": organization.name,
                    "plan": plan_name,
                    "status": _STRIPE_STATUS_NAMES.get(status, status),
                    "detail": "Calls keep working while you have credits.",
                    "link": f"{settings.dashboard_url.rstrip('/')}/billing",
                },
            )


async def _remember_customer(organization: Organization, customer: Any) -> None:
    if isinstance(customer, str) and customer and not organization.stripe_customer_id:
        await Organization.filter(id=organization.id, stripe_customer_id=None).update(
            stripe_customer_id=customer
        )


async def _organization_of_subscription(obj: dict[str, Any]) -> Organization | None:
    subscription_id = obj.get("subscription")
    if not isinstance(subscription_id, str):
        return None
    organization_id = await tenancy.stripe_subscription_organization(subscription_id)
    if organization_id is None:
        return None
    tenancy.admit([organization_id])
    return await Organization.get_or_none(id=organization_id)


def _first_line(invoice: dict[str, Any]) -> dict[str, Any]:
    lines = ((invoice.get("lines") or {}).get("data")) or [{}]
    return lines[0] if isinstance(lines[0], dict) else {}


def _pricing_price(line: dict[str, Any]) -> str | None:
    # Newer API versions put the price under pricing.price_details.
    details = ((line.get("pricing") or {}).get("price_details")) or {}
    price = details.get("price")
    return price if isinstance(price, str) else None


def _timestamp(value: Any) -> datetime | None:
    return datetime.fromtimestamp(int(value), UTC) if isinstance(value, int | float) else None


HANDLERS: dict[str, Handler] = {
    "checkout.session.completed": checkout_completed,
    # A delayed payment method (bank debit) completes Checkout unpaid and pays later.
    "checkout.session.async_payment_succeeded": checkout_completed,
    "invoice.paid": invoice_paid,
    "invoice.payment_failed": invoice_payment_failed,
    "customer.subscription.created": subscription_changed,
    "customer.subscription.updated": subscription_changed,
    "customer.subscription.deleted": subscription_changed,
}
