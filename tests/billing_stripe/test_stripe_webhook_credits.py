"""Credits from Stripe: purchases and plan periods, each granted once whatever Stripe retries."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

from orm.models import Subscription
from tests.billing_stripe.helpers import (
    BillingApp,
    balance_of,
    create_plan,
    ledger_of,
    set_customer,
    stripe_event_rows,
)
from tests.fakes.stripe import credits_session, invoice
from tests.support.factories import Factories
from tests.support.operations import BILLING_SUMMARY, CREDITS_PURCHASE


async def test_paid_credits_checkout_grants_the_credits_once(
    billing: BillingApp, make: Factories
) -> None:
    # given: a purchase started through the API, completed at the fake Stripe
    tenant = await make.tenant("Billing")
    purchase = await billing.gql.ok(
        CREDITS_PURCHASE,
        {"input": {"organizationId": tenant.organization_id, "credits": 1200}},
        token=tenant.token,
    )
    session = billing.stripe.session_by_url(purchase["url"])
    event = billing.stripe.checkout_completed_event(session["id"])

    # when: delivered, then redelivered
    first = await billing.deliver(event)
    again = await billing.deliver(event)

    # then
    assert (first.status_code, again.status_code) == (200, 200)
    assert await balance_of(tenant) == 1500
    entries = await ledger_of(tenant)
    assert [(e.kind, e.amount, e.reference) for e in entries] == [
        ("grant", 300, f"welcome:{tenant.organization_uuid}"),
        ("purchase", 1200, f"checkout:{session['id']}"),
    ]
    assert entries[1].balance_after == 1500
    (row,) = await stripe_event_rows(event["id"])
    assert row.outcome == "credits_purchased"
    summary = await billing.gql.data(
        BILLING_SUMMARY, {"id": tenant.organization_id}, token=tenant.token
    )
    newest = summary["billingSummary"]["ledger"]["edges"][0]["node"]
    assert (newest["amount"], newest["kind"], newest["balanceAfter"]) == (1200, "PURCHASE", 1500)


async def test_unpaid_credits_checkout_grants_nothing(billing: BillingApp, make: Factories) -> None:
    # given: e.g. a bank debit still pending
    tenant = await make.tenant("Billing")
    event = billing.stripe.event(
        "checkout.session.completed",
        credits_session(tenant.organization_uuid, 1000, payment_status="unpaid"),
    )

    # when
    response = await billing.deliver(event)

    # then
    assert response.status_code == 200
    assert await balance_of(tenant) == 300
    assert [entry.kind for entry in await ledger_of(tenant)] == ["grant"]
    (row,) = await stripe_event_rows(event["id"])
    assert row.outcome == "unpaid"


async def test_two_sessions_grant_twice(billing: BillingApp, make: Factories) -> None:
    # given: two distinct purchases
    tenant = await make.tenant("Billing")
    organization_uuid = tenant.organization_uuid

    # when
    for credits in (500, 700):
        event = billing.stripe.event(
            "checkout.session.completed", credits_session(organization_uuid, credits)
        )
        assert (await billing.deliver(event)).status_code == 200

    # then
    assert await balance_of(tenant) == 1500


async def test_invoice_paid_grants_the_plans_credits_and_sets_the_period(
    billing: BillingApp, make: Factories
) -> None:
    # given
    tenant = await make.tenant("Billing")
    customer = await set_customer(tenant)
    plan = await create_plan(credits_per_period=4000)
    start = int(time.time()) - 60
    end = start + 30 * 86400
    paid = invoice(
        customer=customer, price_id=plan.stripe_price_id, period_start=start, period_end=end
    )
    event = billing.stripe.event("invoice.paid", paid)

    # when
    response = await billing.deliver(event)

    # then
    assert response.status_code == 200
    assert await balance_of(tenant) == 4300
    entries = await ledger_of(tenant)
    assert [(e.kind, e.amount, e.reference) for e in entries][1:] == [
        ("grant", 4000, f"invoice:{paid['id']}")
    ]
    data = await billing.gql.data(
        BILLING_SUMMARY, {"id": tenant.organization_id}, token=tenant.token
    )
    summary = data["billingSummary"]
    assert datetime.fromisoformat(summary["currentPeriodEnd"]) == datetime.fromtimestamp(end, UTC)
    assert datetime.fromisoformat(summary["periodStart"]) == datetime.fromtimestamp(start, UTC)
    assert summary["creditBalance"] == 4300


async def test_the_same_event_ten_times_at_once_grants_once(
    billing: BillingApp, make: Factories
) -> None:
    # given
    tenant = await make.tenant("Billing")
    customer = await set_customer(tenant)
    plan = await create_plan(credits_per_period=2500)
    start = int(time.time()) - 60
    event = billing.stripe.event(
        "invoice.paid",
        invoice(
            customer=customer,
            price_id=plan.stripe_price_id,
            period_start=start,
            period_end=start + 30 * 86400,
        ),
    )

    # when: ten concurrent deliveries of one signed event
    responses = await asyncio.gather(*(billing.deliver(event) for _ in range(10)))

    # then
    assert [response.status_code for response in responses] == [200] * 10
    assert await balance_of(tenant) == 2800
    assert [entry.amount for entry in await ledger_of(tenant)] == [300, 2500]
    (row,) = await stripe_event_rows(event["id"])
    assert row.outcome == "credits_granted"
    outcomes = sorted(response.json()["outcome"] for response in responses)
    assert outcomes == ["credits_granted"] + ["duplicate"] * 9


async def test_the_same_invoice_in_two_events_grants_once(
    billing: BillingApp, make: Factories
) -> None:
    # given: Stripe sent the invoice twice under different event ids
    tenant = await make.tenant("Billing")
    customer = await set_customer(tenant)
    plan = await create_plan(credits_per_period=2000)
    start = int(time.time()) - 60
    paid = invoice(
        customer=customer,
        price_id=plan.stripe_price_id,
        period_start=start,
        period_end=start + 30 * 86400,
    )
    first = billing.stripe.event("invoice.paid", paid)
    second = billing.stripe.event("invoice.paid", paid)

    # when
    assert (await billing.deliver(first)).status_code == 200
    assert (await billing.deliver(second)).status_code == 200

    # then
    assert await balance_of(tenant) == 2300
    assert [entry.amount for entry in await ledger_of(tenant)] == [300, 2000]
    assert len(await stripe_event_rows(first["id"])) == 1
    assert len(await stripe_event_rows(second["id"])) == 1


async def test_the_same_invoice_in_concurrent_events_grants_once(
    billing: BillingApp, make: Factories
) -> None:
    # given: five event ids for one invoice, each delivered twice, all at once
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

    # when
    responses = await asyncio.gather(*(billing.deliver(event) for event in events * 2))

    # then
    assert [response.status_code for response in responses] == [200] * 10
    assert await balance_of(tenant) == 1300
    assert [entry.amount for entry in await ledger_of(tenant)] == [300, 1000]
    subscription = await Subscription.get(organization_id=tenant.organization_uuid)
    assert subscription.current_period_end == datetime.fromtimestamp(start + 30 * 86400, UTC)
    for event in events:
        assert len(await stripe_event_rows(event["id"])) == 1, event["id"]


async def test_invoice_of_a_second_period_grants_again(
    billing: BillingApp, make: Factories
) -> None:
    # given
    tenant = await make.tenant("Billing")
    customer = await set_customer(tenant)
    plan = await create_plan(credits_per_period=1000)
    start = int(time.time()) - 60
    month = 30 * 86400

    # when: the second period's invoice arrives before the first's
    for period_start in (start + month, start):
        event = billing.stripe.event(
            "invoice.paid",
            invoice(
                customer=customer,
                price_id=plan.stripe_price_id,
                period_start=period_start,
                period_end=period_start + month,
            ),
        )
        assert (await billing.deliver(event)).status_code == 200

    # then: both granted, and the period end is the later one
    assert await balance_of(tenant) == 2300
    subscription = await Subscription.get(organization_id=tenant.organization_uuid)
    assert subscription.current_period_end == datetime.fromtimestamp(start + 2 * month, UTC)


async def test_invoice_for_an_unknown_customer_changes_nothing(billing: BillingApp) -> None:
    # given
    plan = await create_plan()
    start = int(time.time())
    event = billing.stripe.event(
        "invoice.paid",
        invoice(
            customer="cus_nobody_knows",
            price_id=plan.stripe_price_id,
            period_start=start,
            period_end=start + 86400,
        ),
    )

    # when
    response = await billing.deliver(event)

    # then: acknowledged (a retry would not help), recorded as unmatched
    assert response.status_code == 200
    (row,) = await stripe_event_rows(event["id"])
    assert row.outcome == "unmatched"


async def test_delayed_payment_grants_when_it_succeeds(
    billing: BillingApp, make: Factories
) -> None:
    # given: a bank debit: Checkout completes unpaid, the money arrives days later
    tenant = await make.tenant("Billing")
    pending = credits_session(tenant.organization_uuid, 800, payment_status="unpaid")
    completed = billing.stripe.event("checkout.session.completed", pending)
    succeeded = billing.stripe.event(
        "checkout.session.async_payment_succeeded", {**pending, "payment_status": "paid"}
    )

    # when: each delivered twice
    for event in (completed, succeeded, completed, succeeded):
        assert (await billing.deliver(event)).status_code == 200

    # then
    assert await balance_of(tenant) == 1100
    entries = await ledger_of(tenant)
    assert [(e.kind, e.amount, e.reference) for e in entries][1:] == [
        ("purchase", 800, f"checkout:{pending['id']}")
    ]
