"""A call is charged when it ends, once, whoever reports the end (worker, Twilio, LiveKit)."""

from __future__ import annotations

import pytest

from core.services.calls import CallStatus
from orm.models import Call, CreditLedgerEntry, Plan, Subscription
from tests.billing_metering.helpers import (
    balance,
    call_of_length,
    charges_of,
    end,
    ledger_sum,
)
from tests.support.factories import unique_name

SOURCES = ["worker", "twilio", "livekit"]


@pytest.mark.parametrize(
    "order",
    [
        ["worker", "twilio", "livekit"],
        ["twilio", "livekit", "worker"],
        ["livekit", "worker", "twilio"],
    ],
)
async def test_a_call_ended_by_every_source_is_charged_once(server, make, order):
    # given: 1000 credits and a call answered 61 s ago, at the default 10 credits/min
    settings = server.settings
    tenant = await make.tenant("Metered Co", balance=1000)
    call = await call_of_length(make, tenant, 61)

    # when: each source reports the end, one after the other
    for source in order:
        twilio_duration = 61 if source == "twilio" else None
        await end(call, settings, source=source, duration_seconds=twilio_duration)

    # then: one charge of two started minutes
    [charge] = await charges_of(call)
    assert charge.kind == "charge"
    assert charge.amount == -20
    assert charge.call_id == call.id
    assert charge.organization_id == tenant.organization_uuid
    assert charge.balance_after == 980
    assert charge.data == {"seconds": 61, "credits_per_minute": 10, "increment": "minute"}
    assert await balance(tenant) == 980
    assert await ledger_sum(tenant) == 980
    ended = await Call.get(id=call.id)
    assert ended.status == "completed"


async def test_the_charge_follows_the_plan_rate_per_second(server, make):
    # given: a plan at 8 credits/min billed per second
    settings = server.settings
    tenant = await make.tenant("Metered Co", balance=1000)
    key = unique_name("per_second")
    plan = await Plan.create(
        key=key,
        name=key,
        monthly_price_cents=1000,
        credits_per_period=1000,
        credits_per_minute=8,
        billing_increment="second",
    )
    await Subscription.create(organization=tenant.organization, plan=plan, status="active")
    call = await call_of_length(make, tenant, 61)

    # when
    await end(call, settings, source="livekit")

    # then: ceil(61 * 8 / 60) = 9
    [charge] = await charges_of(call)
    assert charge.amount == -9
    assert await balance(tenant) == 991


@pytest.mark.parametrize(
    ("seconds", "cost"),
    [(1, 10), (60, 10), (125, 30)],
)
async def test_the_cost_counts_started_minutes(server, make, seconds, cost):
    # given
    settings = server.settings
    tenant = await make.tenant("Metered Co", balance=500)
    call = await call_of_length(make, tenant, seconds)

    # when
    await end(call, settings)

    # then
    [charge] = await charges_of(call)
    assert charge.amount == -cost
    assert await balance(tenant) == 500 - cost


@pytest.mark.parametrize(
    "status", [CallStatus.NO_ANSWER, CallStatus.BUSY, CallStatus.CANCELED, CallStatus.FAILED]
)
async def test_an_unanswered_call_is_not_charged(server, make, status):
    # given: a call still ringing
    settings = server.settings
    tenant = await make.tenant("Metered Co", balance=500)
    call = await make.call(tenant)

    # when: it ends without being answered, reported twice
    await end(call, settings, source="twilio", status=status)
    await end(call, settings, source="livekit", status=CallStatus.COMPLETED)

    # then
    assert await charges_of(call) == []
    assert await balance(tenant) == 500
    ended = await Call.get(id=call.id)
    assert ended.status == status.value and ended.answered_at is None


async def test_the_billed_length_is_capped_at_the_calls_time_limit(server, make):
    # given: a 120 s limit and a call answered ten minutes ago (ended late by the janitor)
    settings = server.settings
    tenant = await make.tenant("Metered Co", balance=500)
    call = await make.call(
        tenant, answered_seconds_ago=600, snapshot={"max_call_duration_seconds": 120}
    )

    # when
    await end(call, settings, source="worker", status=CallStatus.FAILED, reason="worker_lost")

    # then: two minutes, not ten
    [charge] = await charges_of(call)
    assert charge.amount == -20
    assert charge.data["seconds"] == 120
    assert await balance(tenant) == 480


async def test_a_failed_call_that_was_answered_is_charged_for_its_talk_time(server, make):
    # given
    settings = server.settings
    tenant = await make.tenant("Metered Co", balance=500)
    call = await call_of_length(make, tenant, 150)

    # when
    await end(call, settings, source="livekit", status=CallStatus.FAILED, reason="sip_error")

    # then: three started minutes
    [charge] = await charges_of(call)
    assert charge.amount == -30
    assert await balance(tenant) == 470
    ended = await Call.get(id=call.id)
    assert ended.status == "failed" and ended.ended_reason == "sip_error"


async def test_a_later_more_specific_ending_does_not_charge_again(server, make):
    # given: a call completed by the worker
    settings = server.settings
    tenant = await make.tenant("Metered Co", balance=500)
    entries_before = await CreditLedgerEntry.filter(
        organization_id=tenant.organization_uuid
    ).count()
    call = await call_of_length(make, tenant, 30)
    await end(call, settings, source="worker")

    # when: Twilio later says it failed
    await end(call, settings, source="twilio", status=CallStatus.FAILED)

    # then
    assert (await Call.get(id=call.id)).status == "failed"
    assert [c.amount for c in await charges_of(call)] == [-10]
    assert await balance(tenant) == 490
    assert (
        await CreditLedgerEntry.filter(organization_id=tenant.organization_uuid).count()
        == entries_before + 1
    )
