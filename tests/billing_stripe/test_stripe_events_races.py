"""Races the webhook's HTTP timing tends to hide: processing events truly at once."""

from __future__ import annotations

import asyncio
import time

from core.services import stripe_events
from orm.models import Subscription
from tests.billing_stripe.helpers import (
    BillingApp,
    balance_of,
    create_plan,
    ledger_of,
    set_customer,
    stripe_event_rows,
)
from tests.fakes.stripe import invoice, new_id, subscription, subscription_session
from tests.support.factories import Factories


async def test_distinct_events_for_one_invoice_are_all_recorded(
    billing: BillingApp, make: Factories
) -> None:
    # given: one invoice under five event ids (Stripe's retried deliveries)
    tenant = await make.tenant("Billing")
    customer = await set_customer(tenant)
    plan = await create_plan(credits_per_period=1000)
    start = int(time.time()) - 60
    paid = invoice(
        customer=customer,
        price_id=plan.stripe_price_id,
        period_start=start,
        period_end=start + 30 * 86400,
    )
    events = [billing.stripe.event("invoice.paid", paid) for _ in range(5)]

    # when: processed at the same moment
    outcomes = await asyncio.gather(
        *(stripe_events.process(event, settings=billing.settings) for event in events)
    )

    # then: granted once, and every event is recorded as processed (not lost as a "duplicate")
    assert await balance_of(tenant) == 1300
    assert [entry.amount for entry in await ledger_of(tenant)] == [300, 1000]
    assert "duplicate" not in outcomes
    for event in events:
        assert len(await stripe_event_rows(event["id"])) == 1, event["id"]


async def test_first_events_of_a_subscription_at_once(billing: BillingApp, make: Factories) -> None:
    # given: a fresh organization (no subscription row yet) and its first three events
    tenant = await make.tenant("Billing")
    organization_uuid = tenant.organization_uuid
    customer = await set_customer(tenant)
    plan = await create_plan(credits_per_period=1000)
    start = int(time.time()) - 60
    end = start + 30 * 86400
    subscription_id = new_id("sub")
    events = [
        billing.stripe.event(
            "checkout.session.completed",
            subscription_session(
                organization_uuid, plan.key, customer=customer, subscription=subscription_id
            ),
            created=start,
        ),
        billing.stripe.event(
            "customer.subscription.created",
            subscription(
                organization_uuid,
                subscription_id=subscription_id,
                customer=customer,
                status="active",
                price_id=plan.stripe_price_id or "",
                period_start=start,
                period_end=end,
            ),
            created=start + 1,
        ),
        billing.stripe.event(
            "invoice.paid",
            invoice(
                customer=customer,
                price_id=plan.stripe_price_id,
                period_start=start,
                period_end=end,
                subscription=subscription_id,
            ),
            created=start + 2,
        ),
    ]

    # when
    outcomes = await asyncio.gather(
        *(stripe_events.process(event, settings=billing.settings) for event in events)
    )

    # then: none lost to the race to create the subscription row
    assert sorted(outcomes) == ["credits_granted", "subscription_started", "subscription_updated"]
    row = await Subscription.get(organization_id=organization_uuid)
    assert (row.status, row.plan_id, row.stripe_subscription_id) == (  # type: ignore[attr-defined]
        "active",
        plan.id,
        subscription_id,
    )
    assert await balance_of(tenant) == 1300
