"""Low-balance and depleted mails: once per crossing, to admins and billing members only."""

from __future__ import annotations

import asyncio

from core.services import credits
from core.services.credits import CreditKind
from orm.models import EmailOutbox
from tests.billing_metering.helpers import balance, call_of_length, end, mails_to
from tests.support.factories import Tenant, next_number


async def _change(settings, tenant: Tenant, amount: int) -> None:
    outcome = await credits.apply(
        organization_id=tenant.organization_uuid,
        amount=amount,
        kind=CreditKind.CHARGE if amount < 0 else CreditKind.PURCHASE,
        reason="Test change",
        reference=f"test:{next_number()}",
        settings=settings,
    )
    assert outcome.applied


async def _people(make, tenant: Tenant) -> tuple[list[str], str]:
    """(who pays: the owner, who is org_admin, and a billing member; a plain member)."""
    billing = await make.member(tenant, "billing")
    member = await make.member(tenant, "member")
    return sorted([tenant.owner.email, billing.email]), member.email


async def test_each_crossing_mails_once_and_recovery_rearms(server, make):
    # given: 300 credits (the settings' threshold is 100) and three people
    settings = server.settings
    assert settings.low_balance_threshold == 100
    tenant = await make.tenant("Metered Co", balance=300)
    payers, member = await _people(make, tenant)
    everyone = [*payers, member]

    # when: charges that stay above the threshold
    await _change(settings, tenant, -150)
    await _change(settings, tenant, -49)  # 101
    # then: no mail
    assert await mails_to(everyone) == []

    # when: a charge crosses below 100
    await _change(settings, tenant, -2)  # 99
    # then: one credits_low mail per admin and billing member, none to the member
    assert await mails_to(everyone) == [(p, "credits_low") for p in payers]
    low = await EmailOutbox.filter(to_address=payers[0]).first()
    assert "99" in low.text_body and tenant.organization.name in low.text_body

    # when: further charges, still above 0
    await _change(settings, tenant, -40)
    await _change(settings, tenant, -58)  # 1
    # then: nothing more
    assert await mails_to(everyone) == [(p, "credits_low") for p in payers]

    # when: the balance reaches 0
    await _change(settings, tenant, -1)  # 0
    # then: one credits_depleted each
    assert await mails_to(everyone) == sorted(
        [(p, "credits_low") for p in payers] + [(p, "credits_depleted") for p in payers]
    )

    # when: more charges below zero, then a top-up that stays under the threshold
    await _change(settings, tenant, -10)  # -10
    await _change(settings, tenant, 60)  # 50: low again, but less severe: no mail
    await _change(settings, tenant, -5)  # 45
    # then: nothing more
    assert len(await mails_to(everyone)) == 4

    # when: a grant back above 100 re-arms, and a charge crosses again
    await _change(settings, tenant, 500)  # 545
    await _change(settings, tenant, -450)  # 95
    # then: a second credits_low each
    mails = await mails_to(everyone)
    assert [template for _, template in mails].count("credits_low") == 4
    assert [template for _, template in mails].count("credits_depleted") == 2
    assert all(to in payers for to, _ in mails)
    assert await balance(tenant) == 95


async def test_a_call_charge_crossing_to_zero_mails_depleted_once(server, make):
    # given: 120 credits and a call of three started minutes (30 credits)... then one of 10
    settings = server.settings
    tenant = await make.tenant("Metered Co", balance=120)
    payers, member = await _people(make, tenant)
    first = await call_of_length(make, tenant, 150)

    # when: the first call's charge crosses below 100
    await end(first, settings)
    # then
    assert await mails_to([*payers, member]) == [(p, "credits_low") for p in payers]

    # when: a long call takes the balance below zero
    second = await call_of_length(make, tenant, 600)
    await end(second, settings, source="twilio")
    # then
    assert await balance(tenant) == 120 - 30 - 100
    assert await mails_to([*payers, member]) == sorted(
        [(p, "credits_low") for p in payers] + [(p, "credits_depleted") for p in payers]
    )


async def test_concurrent_charges_crossing_together_mail_once(server, make):
    # given: 300 credits
    settings = server.settings
    tenant = await make.tenant("Metered Co", balance=300)
    payers, member = await _people(make, tenant)

    # when: ten charges of 25 land at once (300 -> 50)
    await asyncio.gather(*(_change(settings, tenant, -25) for _ in range(10)))

    # then: one credits_low each
    assert await balance(tenant) == 50
    assert await mails_to([*payers, member]) == [(p, "credits_low") for p in payers]

    # when: ten more land at once (50 -> -200)
    await asyncio.gather(*(_change(settings, tenant, -25) for _ in range(10)))

    # then: one credits_depleted each
    assert await mails_to([*payers, member]) == sorted(
        [(p, "credits_low") for p in payers] + [(p, "credits_depleted") for p in payers]
    )


async def test_concurrent_call_ends_crossing_both_thresholds_mail_each_once(server, make):
    # given: 300 credits and 40 calls of one minute each (400 credits in all)
    settings = server.settings
    tenant = await make.tenant("Metered Co", balance=300)
    payers, member = await _people(make, tenant)
    calls = [await call_of_length(make, tenant, 30) for _ in range(40)]

    # when
    await asyncio.gather(*(end(call, settings) for call in calls))

    # then: the balance crossed low then depleted: one of each per payer
    assert await balance(tenant) == -100
    assert await mails_to([*payers, member]) == sorted(
        [(p, "credits_low") for p in payers] + [(p, "credits_depleted") for p in payers]
    )
