"""Races the webhook's HTTP timing tends to hide: processing events truly at once."""

from __future__ import annotations

import asyncio
import time

from core.services import stripe_events
from orm.models import Subscription
from tests.billing_stripe.helpers import (
    BillingApp,
    admin_with_organization,
    balance_of,
    create_plan,
    invoice,
    ledger_of,
    new_id,
    set_customer,
    stripe_event_rows,
    subscription,
    subscription_session,
)
from tests.organizations.helpers import uuid_of


async def test_distinct_events_for_one_invoice_are_all_recorded(billing: BillingApp) -> None:
    # given: one invoice under five event ids (Stripe's retried deliveries)
    _, organization_id = await admin_with_organization(billing.gql)
    customer = await set_customer(organization_id)
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
    assert await balance_of(organization_id) == 1300
    assert [entry.amount for entry in await ledger_of(organization_id)] == [300, 1000]
    assert "duplicate" not in outcomes
    for event in events:
        assert len(await stripe_event_rows(event["id"])) == 1, event["id"]


async def test_first_events_of_a_subscription_at_once(billing: BillingApp) -> None:
    # given: a fresh organization (no subscription row yet) and its first three events
    _, organization_id = await admin_with_organization(billing.gql)
    organization_uuid = uuid_of(organization_id)
    customer = await set_customer(organization_id)
    plan = await create_plan(credits_per_period=1000)
    start = int(time.time()) - 60
    end = start + 30 * 86400
    subscription_id = new_id("sub")
    events = [
        billing.stripe.event(
            "checkout.session.completed",
            subscription_session(
                organization_uuid, plan, customer=customer, subscription=subscription_id
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
    assert await balance_of(organization_id) == 1300
