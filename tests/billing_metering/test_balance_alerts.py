"""Low-balance and depleted mails: once per crossing, to admins and billing members only."""

from __future__ import annotations

import asyncio
import uuid

from core.services import credits
from core.services.credits import CreditKind
from orm.models import EmailOutbox, Organization
from tests.billing_metering.helpers import (
    add_member,
    answered_call,
    balance,
    end,
    funded_organization,
    mails_to,
)


async def _change(settings, organization: Organization, amount: int) -> None:
    outcome = await credits.apply(
        organization_id=organization.id,
        amount=amount,
        kind=CreditKind.CHARGE if amount < 0 else CreditKind.PURCHASE,
        reason="Test change",
        reference=f"test:{uuid.uuid4()}",
        settings=settings,
    )
    assert outcome.applied


async def _people(organization: Organization) -> tuple[list[str], str]:
    """(who pays: an admin and a billing member, a plain member)."""
    admin = await add_member(organization, "org_admin")
    billing = await add_member(organization, "billing")
    member = await add_member(organization, "member")
    return sorted([admin, billing]), member


async def test_each_crossing_mails_once_and_recovery_rearms(server):
    # given: 300 credits (the settings' threshold is 100) and three people
    settings = server.settings
    assert settings.low_balance_threshold == 100
    organization = await funded_organization(settings, 300)
    payers, member = await _people(organization)
    everyone = [*payers, member]

    # when: charges that stay above the threshold
    await _change(settings, organization, -150)
    await _change(settings, organization, -49)  # 101
    # then: no mail
    assert await mails_to(everyone) == []

    # when: a charge crosses below 100
    await _change(settings, organization, -2)  # 99
    # then: one credits_low mail per admin and billing member, none to the member
    assert await mails_to(everyone) == [(p, "credits_low") for p in payers]
    low = await EmailOutbox.filter(to_address=payers[0]).first()
    assert "99" in low.text_body and organization.name in low.text_body

    # when: further charges, still above 0
    await _change(settings, organization, -40)
    await _change(settings, organization, -58)  # 1
    # then: nothing more
    assert await mails_to(everyone) == [(p, "credits_low") for p in payers]

    # when: the balance reaches 0
    await _change(settings, organization, -1)  # 0
    # then: one credits_depleted each
    assert await mails_to(everyone) == sorted(
        [(p, "credits_low") for p in payers] + [(p, "credits_depleted") for p in payers]
    )

    # when: more charges below zero, then a top-up that stays under the threshold
    await _change(settings, organization, -10)  # -10
    await _change(settings, organization, 60)  # 50: low again, but less severe: no mail
    await _change(settings, organization, -5)  # 45
    # then: nothing more
    assert len(await mails_to(everyone)) == 4

    # when: a grant back above 100 re-arms, and a charge crosses again
    await _change(settings, organization, 500)  # 545
    await _change(settings, organization, -450)  # 95
    # then: a second credits_low each
    mails = await mails_to(everyone)
    assert [template for _, template in mails].count("credits_low") == 4
    assert [template for _, template in mails].count("credits_depleted") == 2
    assert all(to in payers for to, _ in mails)
    assert await balance(organization) == 95


async def test_a_call_charge_crossing_to_zero_mails_depleted_once(server):
    # given: 120 credits and a call of three started minutes (30 credits)... then one of 10
    settings = server.settings
    organization = await funded_organization(settings, 120)
    payers, member = await _people(organization)
    first = await answered_call(organization, seconds_ago=150)

    # when: the first call's charge crosses below 100
    await end(first, settings)
    # then
    assert await mails_to([*payers, member]) == [(p, "credits_low") for p in payers]

    # when: a long call takes the balance below zero
    second = await answered_call(organization, seconds_ago=600)
    await end(second, settings, source="twilio")
    # then
    assert await balance(organization) == 120 - 30 - 100
    assert await mails_to([*payers, member]) == sorted(
        [(p, "credits_low") for p in payers] + [(p, "credits_depleted") for p in payers]
    )


async def test_concurrent_charges_crossing_together_mail_once(server):
    # given: 300 credits
    settings = server.settings
    organization = await funded_organization(settings, 300)
    payers, member = await _people(organization)

    # when: ten charges of 25 land at once (300 -> 50)
    await asyncio.gather(*(_change(settings, organization, -25) for _ in range(10)))

    # then: one credits_low each
    assert await balance(organization) == 50
    assert await mails_to([*payers, member]) == [(p, "credits_low") for p in payers]

    # when: ten more land at once (50 -> -200)
    await asyncio.gather(*(_change(settings, organization, -25) for _ in range(10)))

    # then: one credits_depleted each
    assert await mails_to([*payers, member]) == sorted(
        [(p, "credits_low") for p in payers] + [(p, "credits_depleted") for p in payers]
    )


async def test_concurrent_call_ends_crossing_both_thresholds_mail_each_once(server):
    # given: 300 credits and 40 calls of one minute each (400 credits in all)
    settings = server.settings
    organization = await funded_organization(settings, 300)
    payers, member = await _people(organization)
    calls = [await answered_call(organization, seconds_ago=30) for _ in range(40)]

    # when
    await asyncio.gather(*(end(call, settings) for call in calls))

    # then: the balance crossed low then depleted: one of each per payer
    assert await balance(organization) == -100
    assert await mails_to([*payers, member]) == sorted(
        [(p, "credits_low") for p in payers] + [(p, "credits_depleted") for p in payers]
    )
