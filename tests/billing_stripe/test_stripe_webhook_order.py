"""Stripe delivers events in any order: every order must end in the same state."""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from orm.models import Plan
from tests.billing_stripe.helpers import BillingApp, create_plan, final_state, set_customer
from tests.fakes.stripe import invoice, new_id, subscription, subscription_session
from tests.support.factories import Account, Factories

MONTH = 30 * 86400

# Builds the events for one organization: (organization uuid, customer, plan) -> events.
EventsFor = Callable[[Any, str, Plan], list[dict[str, Any]]]


def lifecycle(stripe_event: Callable[..., dict[str, Any]], base: int) -> EventsFor:
    """Checkout, created (incomplete), invoice paid, past due, active again and renewed
    (cancel at period end), deleted: six events, created one second apart."""

    def build(organization_uuid: Any, customer: str, plan: Plan) -> list[dict[str, Any]]:
        price = plan.stripe_price_id or ""
        subscription_id = new_id("sub")
        first = (base, base + MONTH)
        second = (base + MONTH, base + 2 * MONTH)

        def state(status: str, period: tuple[int, int], cancel: bool = False) -> dict[str, Any]:
            return subscription(
                organization_uuid,
                subscription_id=subscription_id,
                customer=customer,
                status=status,
                price_id=price,
                period_start=period[0],
                period_end=period[1],
                cancel_at_period_end=cancel,
            )

        return [
            stripe_event(
                "checkout.session.completed",
                subscription_session(
                    organization_uuid, plan.key, customer=customer, subscription=subscription_id
                ),
                created=base,
            ),
            stripe_event(
                "customer.subscription.created", state("incomplete", first), created=base + 1
            ),
            stripe_event(
                "invoice.paid",
                invoice(
                    customer=customer,
                    price_id=price,
                    period_start=first[0],
                    period_end=first[1],
                    subscription=subscription_id,
                ),
                created=base + 2,
            ),
            stripe_event(
                "customer.subscription.updated", state("past_due", first), created=base + 3
            ),
            stripe_event(
                "customer.subscription.updated", state("active", second, True), created=base + 4
            ),
            stripe_event(
                "customer.subscription.deleted", state("canceled", second, True), created=base + 5
            ),
        ]

    return build


def orders(count: int, *, seed: int, size: int) -> list[tuple[int, ...]]:
    """`count` distinct random permutations (fixed seed), plus the reverse order."""
    generator = random.Random(seed)
    chosen: list[tuple[int, ...]] = [tuple(range(size))[::-1]]
    while len(chosen) < count + 1:
        order = tuple(generator.sample(range(size), size))
        if order not in chosen:
            chosen.append(order)
    return chosen


async def _deliver_in_order(
    billing: BillingApp,
    make: Factories,
    admin: Account,
    build: EventsFor,
    plan: Plan,
    order: tuple[int, ...],
) -> dict[str, Any]:
    tenant = await make.tenant("Order", owner=admin)
    customer = await set_customer(tenant)
    events = build(tenant.organization_uuid, customer, plan)
    for index in order:
        response = await billing.deliver(events[index])
        assert response.status_code == 200, (order, index, response.text)
    return await final_state(billing.gql, tenant)


async def test_subscription_lifecycle_in_any_order_ends_the_same(
    billing: BillingApp, make: Factories
) -> None:
    # given
    admin = await make.account(verified=True)  # it owns one organization per order
    plan = await create_plan(credits_per_period=3000)
    base = int(time.time()) - 3 * MONTH
    build = lifecycle(billing.stripe.event, base)

    # when: the natural order, the reverse, and twelve random orders, each to a fresh organization
    results = {}
    for order in [tuple(range(6)), *orders(12, seed=20240605, size=6)]:
        results[order] = await _deliver_in_order(billing, make, admin, build, plan, order)

    # then
    expected = {
        "status": "CANCELED",
        "plan": plan.key,
        "period_end": datetime.fromtimestamp(base + 2 * MONTH, UTC).isoformat(),
        "cancel_at_period_end": True,
        "balance": 3300,
        "ledger": [("invoice:<id>", "grant", 3000), ("welcome:<org>", "grant", 300)],
    }
    assert len(results) == 14
    for order, state in results.items():
        assert {**state, "ledger": _normalized(state["ledger"])} == expected, order


def _normalized(ledger: list[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """Invoice ids differ per organization: compare their shape, not their value."""
    return sorted(
        (("invoice:<id>" if reference.startswith("invoice:") else reference), kind, amount)
        for reference, kind, amount in ledger
    )


async def test_plan_change_in_any_order_ends_on_the_newest_plan(
    billing: BillingApp, make: Factories
) -> None:
    # given: moved from plan A to plan B, then a payment failed (an event without a plan)
    admin = await make.account(verified=True)  # it owns one organization per order
    plan_a = await create_plan(credits_per_period=1000)
    plan_b = await create_plan(credits_per_period=2000)
    base = int(time.time()) - MONTH

    def build(organization_uuid: Any, customer: str, _: Plan) -> list[dict[str, Any]]:
        subscription_id = new_id("sub")

        def updated(plan: Plan, created: int) -> dict[str, Any]:
            return billing.stripe.event(
                "customer.subscription.updated",
                subscription(
                    organization_uuid,
                    subscription_id=subscription_id,
                    customer=customer,
                    status="active",
                    price_id=plan.stripe_price_id or "",
                    period_start=base,
                    period_end=base + MONTH,
                ),
                created=created,
            )

        failed = invoice(
            customer=customer,
            price_id=None,
            period_start=base,
            period_end=base + MONTH,
            subscription=subscription_id,
            status="open",
        )
        return [
            updated(plan_a, base + 10),
            updated(plan_b, base + 20),
            billing.stripe.event("invoice.payment_failed", failed, created=base + 30),
        ]

    # when: all six orders
    results = {}
    for order in itertools.permutations(range(3)):
        results[order] = await _deliver_in_order(billing, make, admin, build, plan_a, order)

    # then
    for order, state in results.items():
        assert (state["plan"], state["status"], state["balance"]) == (
            plan_b.key,
            "PAST_DUE",
            300,
        ), order
        assert state["period_end"] == datetime.fromtimestamp(base + MONTH, UTC).isoformat()


async def test_cancel_flag_in_any_order_comes_from_the_newest_subscription_event(
    billing: BillingApp, make: Factories
) -> None:
    # given: the customer asked to cancel at period end, then a renewal payment failed
    admin = await make.account(verified=True)  # it owns one organization per order
    plan = await create_plan(credits_per_period=1000)
    base = int(time.time()) - MONTH

    def build(organization_uuid: Any, customer: str, plan: Plan) -> list[dict[str, Any]]:
        subscription_id = new_id("sub")

        def updated(cancel: bool, created: int) -> dict[str, Any]:
            return billing.stripe.event(
                "customer.subscription.updated",
                subscription(
                    organization_uuid,
                    subscription_id=subscription_id,
                    customer=customer,
                    status="active",
                    price_id=plan.stripe_price_id or "",
                    period_start=base,
                    period_end=base + MONTH,
                    cancel_at_period_end=cancel,
                ),
                created=created,
            )

        failed = invoice(
            customer=customer,
            price_id=None,
            period_start=base,
            period_end=base + MONTH,
            subscription=subscription_id,
            status="open",
        )
        return [
            updated(False, base + 10),
            updated(True, base + 20),
            billing.stripe.event("invoice.payment_failed", failed, created=base + 30),
        ]

    # when
    results = {}
    for order in itertools.permutations(range(3)):
        results[order] = await _deliver_in_order(billing, make, admin, build, plan, order)

    # then
    assert {order: state["cancel_at_period_end"] for order, state in results.items()} == {
        order: True for order in results
    }
