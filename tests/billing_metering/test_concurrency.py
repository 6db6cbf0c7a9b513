"""Charges and ledger changes racing on one organization: the balance and ledger stay exact."""

from __future__ import annotations

import asyncio

import pytest

from core.errors import ServiceError
from core.services import credits
from core.services.calls import CallStatus
from core.services.credits import CreditErrorCode, CreditKind
from orm.models import CreditLedgerEntry, Organization
from tests.billing_metering.helpers import (
    balance,
    call_of_length,
    charges_of,
    end,
    ledger_sum,
)
from tests.support.factories import next_number

START = 20_000


async def test_100_calls_ending_at_once_are_each_charged_exactly(server, make):
    # given: 100 calls of different lengths on one organization (each billed exactly its
    # length, however late the contention ends it)
    settings = server.settings
    tenant = await make.tenant("Metered Co", balance=START)
    lengths = [60 * (i % 12) + 20 for i in range(100)]
    calls = [await call_of_length(make, tenant, length) for length in lengths]
    expected = {call.id: -10 * (length // 60 + 1) for call, length in zip(calls, lengths)}
    sources = ["worker", "twilio", "livekit"]

    # when: they all end at the same time
    await asyncio.gather(
        *(end(call, settings, source=sources[i % 3]) for i, call in enumerate(calls))
    )

    # then: one charge per call, of its own cost
    charges = await CreditLedgerEntry.filter(
        organization_id=tenant.organization_uuid, kind="charge"
    )
    assert len(charges) == 100
    assert {charge.call_id: charge.amount for charge in charges} == expected
    # and the balance is the start less every cost, equal to the ledger's sum
    total = sum(expected.values())
    assert await balance(tenant) == START + total
    assert await ledger_sum(tenant) == START + total
    # and the balances after each charge form one chain from the start to the end
    chain = sorted(charges, key=lambda charge: charge.balance_after, reverse=True)
    previous = START
    for charge in chain:
        assert charge.balance_after == previous + charge.amount
        previous = charge.balance_after
    assert previous == START + total


async def test_the_same_call_ended_20_times_at_once_is_charged_once(server, make):
    # given
    settings = server.settings
    tenant = await make.tenant("Metered Co", balance=1000)
    call = await call_of_length(make, tenant, 90)
    signals = [
        ("worker", CallStatus.COMPLETED),
        ("twilio", CallStatus.COMPLETED),
        ("livekit", CallStatus.COMPLETED),
        ("twilio", CallStatus.FAILED),
    ]

    # when: the end is reported 20 times concurrently, by every source
    await asyncio.gather(
        *(
            end(call, settings, source=source, status=status)
            for source, status in (signals[i % len(signals)] for i in range(20))
        )
    )

    # then: one charge of two started minutes
    [charge] = await charges_of(call)
    assert charge.amount == -20 and charge.balance_after == 980
    assert await balance(tenant) == 980
    assert await ledger_sum(tenant) == 980


async def test_20_concurrent_applies_of_one_reference_change_the_balance_once(server, make):
    # given
    settings = server.settings
    tenant = await make.tenant("Metered Co", balance=1000)
    reference = f"invoice:in_{next_number()}"

    # when
    outcomes = await asyncio.gather(
        *(
            credits.apply(
                organization_id=tenant.organization_uuid,
                amount=250,
                kind=CreditKind.GRANT,
                reason="Plan credits",
                reference=reference,
                settings=settings,
            )
            for _ in range(20)
        )
    )

    # then: one applied, the others report the same entry, unapplied
    assert sorted(outcome.applied for outcome in outcomes) == [False] * 19 + [True]
    assert {outcome.entry.id for outcome in outcomes} == {
        (await CreditLedgerEntry.get(reference=reference)).id
    }
    assert await CreditLedgerEntry.filter(reference=reference).count() == 1
    assert await balance(tenant) == 1250
    assert await ledger_sum(tenant) == 1250


@pytest.mark.parametrize("amount", [-51, -1000])
async def test_a_change_that_may_not_overdraw_is_refused_and_changes_nothing(server, make, amount):
    # given
    settings = server.settings
    tenant = await make.tenant("Metered Co", balance=50)
    reference = f"adjust:{next_number()}"

    # when
    with pytest.raises(ServiceError) as refused:
        await credits.apply(
            organization_id=tenant.organization_uuid,
            amount=amount,
            kind=CreditKind.ADJUSTMENT,
            reason="Correction",
            reference=reference,
            settings=settings,
            allow_negative=False,
        )

    # then
    assert [error.code for error in refused.value.errors] == [CreditErrorCode.INSUFFICIENT_CREDITS]
    assert await CreditLedgerEntry.filter(reference=reference).count() == 0
    assert await balance(tenant) == 50
    assert await ledger_sum(tenant) == 50
    assert (await Organization.get(id=tenant.organization_uuid)).balance_alert_state == "low"


async def test_a_change_that_may_not_overdraw_may_empty_the_balance_exactly(server, make):
    # given
    settings = server.settings
    tenant = await make.tenant("Metered Co", balance=50)

    # when
    outcome = await credits.apply(
        organization_id=tenant.organization_uuid,
        amount=-50,
        kind=CreditKind.ADJUSTMENT,
        reason="Correction",
        reference=f"adjust:{next_number()}",
        settings=settings,
        allow_negative=False,
    )

    # then
    assert outcome.applied and outcome.entry.balance_after == 0
    assert await balance(tenant) == 0


async def test_concurrent_overdraw_guarded_debits_never_go_below_zero(server, make):
    # given: 100 credits and 10 concurrent debits of 30 that may not overdraw
    settings = server.settings
    tenant = await make.tenant("Metered Co", balance=100)

    async def debit() -> bool:
        try:
            await credits.apply(
                organization_id=tenant.organization_uuid,
                amount=-30,
                kind=CreditKind.ADJUSTMENT,
                reason="Correction",
                reference=f"adjust:{next_number()}",
                settings=settings,
                allow_negative=False,
            )
        except ServiceError:
            return False
        return True

    # when
    results = await asyncio.gather(*(debit() for _ in range(10)))

    # then: exactly three fit
    assert results.count(True) == 3
    assert await balance(tenant) == 10
    assert await ledger_sum(tenant) == 10
