"""What a call costs: `call_cost` by started minute or by second, and `rate_for` an organization."""

from __future__ import annotations

import pytest

from core.services.metering import Rate, call_cost, rate_for
from orm.models import Plan, Subscription
from tests.support.factories import unique_name


@pytest.mark.parametrize(
    ("seconds", "expected"),
    [(1, 10), (59, 10), (60, 10), (61, 20), (119, 20), (120, 20), (121, 30), (3600, 600)],
)
def test_per_minute_every_started_minute_is_charged_whole(seconds, expected):
    assert call_cost(seconds, Rate(10, "minute")) == expected


@pytest.mark.parametrize(
    ("seconds", "rate", "expected"),
    [
        (1, 8, 1),  # 8/60 of a credit rounds up to one
        (7, 8, 1),  # 56/60
        (8, 8, 2),  # 64/60
        (15, 8, 2),  # exactly 2
        (60, 8, 8),
        (61, 8, 9),  # ceil(488/60) = ceil(8.13)
        (90, 10, 15),
        (91, 10, 16),  # ceil(15.17)
        (1, 60, 1),
        (61, 60, 61),
    ],
)
def test_per_second_the_cost_is_the_seconds_share_rounded_up(seconds, rate, expected):
    assert call_cost(seconds, Rate(rate, "second")) == expected


@pytest.mark.parametrize("increment", ["minute", "second"])
def test_nothing_is_charged_for_no_time_or_a_free_rate(increment):
    assert call_cost(0, Rate(10, increment)) == 0
    assert call_cost(-5, Rate(10, increment)) == 0
    assert call_cost(125, Rate(0, increment)) == 0


async def _plan(credits_per_minute: int, increment: str) -> Plan:
    key = unique_name("metering")
    return await Plan.create(
        key=key,
        name=key,
        monthly_price_cents=1000,
        credits_per_period=1000,
        credits_per_minute=credits_per_minute,
        billing_increment=increment,
    )


async def test_the_rate_is_the_plans_when_the_organization_subscribes(server, make):
    # given
    tenant = await make.tenant("Metered Co")
    await Subscription.create(
        organization=tenant.organization, plan=await _plan(7, "second"), status="active"
    )

    # when
    rate = await rate_for(tenant.organization_uuid, server.settings)

    # then
    assert rate == Rate(7, "second")


async def test_without_a_subscription_the_default_rate_applies_per_minute(server, make):
    # given
    tenant = await make.tenant("Metered Co")
    settings = server.settings.model_copy(update={"default_credits_per_minute": 13})

    # when
    rate = await rate_for(tenant.organization_uuid, settings)

    # then
    assert rate == Rate(13, "minute")


async def test_a_subscription_without_a_plan_gets_the_default_rate(server, make):
    # given: a subscription whose plan was removed (plan set null)
    tenant = await make.tenant("Metered Co")
    await Subscription.create(organization=tenant.organization, plan=None, status="canceled")
    settings = server.settings.model_copy(update={"default_credits_per_minute": 11})

    # when
    rate = await rate_for(tenant.organization_uuid, settings)

    # then
    assert rate == Rate(11, "minute")
