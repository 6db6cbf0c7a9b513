"""metering.credits_cover: whether the balance pays for a call until the next check, after what
the organization's other calls in progress have used (the rule the worker's watch applies)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.services import metering
from core.services.calls import CallStatus
from orm.models import Call
from tests.support.factories import Factories, Tenant

# The default rate: 10 credits per started minute.
RATE = metering.Rate(credits_per_minute=10, increment="minute")
# 75 s talked + 15 s ahead: 2 started minutes, whatever a slow machine adds (up to 30 s).
TALKED_SECONDS, AHEAD_SECONDS, NEEDED = 75, 15, 20
# Another call of the organization, answered 200 s ago: 4 started minutes used, unbilled yet.
OTHER_TALKED_SECONDS, OTHER_USED = 200, 40


async def _calls(make: Factories, balance: int) -> tuple[Tenant, Call]:
    """The call asked about, another in progress, and calls that must not count."""
    tenant = await make.tenant("Covered Plumbing", balance=balance)
    call = await make.call(tenant, answered_seconds_ago=TALKED_SECONDS)
    await make.call(tenant, answered_seconds_ago=OTHER_TALKED_SECONDS)
    # not counted: a call still ringing, a call already ended, another organization's call
    await make.call(tenant)
    await make.call(tenant, status=CallStatus.COMPLETED, answered_seconds_ago=3600)
    await make.call(await make.tenant("Elsewhere", balance=0), answered_seconds_ago=3600)
    return tenant, call


@pytest.mark.parametrize(
    ("balance", "covered"),
    [
        (NEEDED + OTHER_USED, True),
        (NEEDED + OTHER_USED - 1, False),
        (0, False),
    ],
    ids=["just-enough", "one-short", "empty"],
)
async def test_the_balance_covers_a_call_only_beside_what_other_calls_used(
    server, make, balance, covered
):
    # given
    _, call = await _calls(make, balance)

    # when
    answer = await metering.credits_cover(
        call=call, rate=RATE, ahead_seconds=AHEAD_SECONDS, now=datetime.now(UTC)
    )

    # then
    assert answer is covered
