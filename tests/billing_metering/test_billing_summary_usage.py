"""billingSummary.usage: this period's calls, minutes and charged credits, for this organization."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.services.calls import CallStatus
from orm.models import Call, CreditLedgerEntry
from tests.billing_metering.helpers import call_of_length, end
from tests.support.operations import BILLING_SUMMARY


async def test_usage_counts_this_periods_calls_minutes_and_charges(gql, make):
    # given: an organization (300 welcome credits) with three ended calls this month:
    # 61 s (20 credits), 30 s (10 credits), unanswered (free), and one still running
    settings = make.settings
    tenant = await make.tenant("Usage Co")
    long_call = await call_of_length(make, tenant, 61)
    short_call = await call_of_length(make, tenant, 30)
    missed = await make.call(tenant)
    await make.call(tenant, answered_seconds_ago=10)  # in progress: counted, no minutes yet
    await end(long_call, settings)
    await end(short_call, settings, source="livekit")
    await end(missed, settings, source="twilio", status=CallStatus.NO_ANSWER)
    # and a call and charge from last month, outside the period
    old = await call_of_length(make, tenant, 45)
    await end(old, settings)
    last_month = datetime.now(UTC).replace(day=1) - timedelta(days=3)
    await Call.filter(id=old.id).update(created_at=last_month)
    await CreditLedgerEntry.filter(reference=f"call:{old.id}").update(created_at=last_month)
    # and another organization's call, which is not ours
    other = await make.tenant("Other Co", balance=1000)
    await end(await call_of_length(make, other, 300), settings)

    # when
    data = await gql.data(BILLING_SUMMARY, {"id": tenant.organization_id}, token=tenant.token)

    # then: 4 calls; 61 + 30 + 0 s = 91 s, two minutes; 30 credits charged
    summary = data["billingSummary"]
    assert summary["usage"] == {"calls": 4, "minutes": 2, "credits": 30}
    assert summary["creditBalance"] == 300 - 20 - 10 - 10
    period_start = datetime.fromisoformat(summary["periodStart"])
    assert period_start == datetime.now(UTC).replace(
        day=1, hour=0, minute=0, second=0, microsecond=0
    )


async def test_a_new_organization_has_no_usage(gql, make):
    # given
    tenant = await make.tenant("Fresh Co")

    # when
    data = await gql.data(BILLING_SUMMARY, {"id": tenant.organization_id}, token=tenant.token)

    # then
    assert data["billingSummary"]["usage"] == {"calls": 0, "minutes": 0, "credits": 0}
    assert data["billingSummary"]["creditBalance"] == make.settings.welcome_credits
