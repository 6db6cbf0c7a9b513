"""fail_abandoned: no call stays ringing or in progress forever when its worker vanished.

The session's server runs no janitor loop: each test runs `fail_abandoned` itself."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta

import pytest

from core.integrations.livekit_rooms import LiveKitRooms
from core.services import calls
from core.services.calls import CallStatus
from orm.models import Call
from tests.support.telephony import event_types

# The calls live in the session server's database (migrated, and emptied for this module).
pytestmark = pytest.mark.usefixtures("server")


async def _call(
    make,
    tenant,
    agent,
    *,
    created_seconds_ago: float,
    answered_seconds_ago: float | None = None,
    **fields,
) -> Call:
    """A call of the agent opened `created_seconds_ago` (answered then, when given)."""
    call = await make.call(tenant, agent, answered_seconds_ago=answered_seconds_ago, **fields)
    created_at = datetime.now(UTC) - timedelta(seconds=created_seconds_ago)
    await Call.filter(id=call.id).update(created_at=created_at)
    return await Call.get(id=call.id)


async def _with_rooms(*made: Call) -> None:
    """Give the calls their rooms (the fake LiveKit has none: deleting one is a request)."""
    for call in made:
        await Call.filter(id=call.id).update(livekit_room=calls.room_name(call.id))


async def _fail_abandoned_on(settings, livekit) -> int:
    """A janitor pass that deletes rooms at the fake LiveKit."""
    update = livekit.settings_overrides()
    async with contextlib.aclosing(LiveKitRooms(settings.model_copy(update=update))) as rooms:
        return await calls.fail_abandoned(bus=None, rooms=rooms)


async def test_abandoned_calls_are_failed_and_fresh_ones_left_alone(make):
    # given: an agent whose calls may last 60 s (so the limit is 60 + 120 s of grace)
    tenant = await make.tenant("Calls Co")
    agent = await make.agent(tenant, phone_number=True, max_call_duration_seconds=60)
    stale_ringing = await _call(make, tenant, agent, created_seconds_ago=11 * 60)
    fresh_ringing = await _call(make, tenant, agent, created_seconds_ago=9 * 60)
    lost = await _call(make, tenant, agent, answered_seconds_ago=200, created_seconds_ago=230)
    running = await _call(make, tenant, agent, answered_seconds_ago=150, created_seconds_ago=170)
    ended = await _call(
        make,
        tenant,
        agent,
        created_seconds_ago=3600,
        status=CallStatus.BUSY,
        ended_reason="twilio_busy",
    )

    # when
    failed = await calls.fail_abandoned(bus=None, now=datetime.now(UTC))

    # then
    assert failed == 2
    stale_ringing, fresh_ringing, lost, running, ended = [
        await Call.get(id=c.id) for c in (stale_ringing, fresh_ringing, lost, running, ended)
    ]
    assert (stale_ringing.status, stale_ringing.ended_reason) == ("failed", "never_answered")
    assert (lost.status, lost.ended_reason) == ("failed", "worker_lost")
    assert fresh_ringing.status == "ringing" and fresh_ringing.ended_reason is None
    assert running.status == "in_progress" and running.ended_reason is None
    assert (ended.status, ended.ended_reason) == ("busy", "twilio_busy")
    assert await event_types(lost.id) == ["call.status_changed", "call.ended"]
    assert lost.ended_at is not None and lost.duration_seconds is not None
    assert lost.duration_seconds >= 200


async def test_a_second_pass_changes_nothing(make):
    # given
    tenant = await make.tenant("Calls Co")
    agent = await make.agent(tenant, phone_number=True)
    stale = await _call(make, tenant, agent, created_seconds_ago=20 * 60)
    await calls.fail_abandoned(bus=None)
    after_first = await Call.get(id=stale.id)
    events_after_first = await event_types(stale.id)

    # when
    await calls.fail_abandoned(bus=None)

    # then
    after_second = await Call.get(id=stale.id)
    assert after_first.status == after_second.status == "failed"
    assert after_second.ended_at == after_first.ended_at
    assert await event_types(stale.id) == events_after_first


async def test_the_default_limit_applies_when_the_snapshot_has_none(make):
    # given: in-progress calls whose snapshot has no limit (default 1800 s + grace)
    tenant = await make.tenant("Calls Co")
    agent = await make.agent(tenant, phone_number=True)
    within = await _call(
        make, tenant, agent, answered_seconds_ago=1800, created_seconds_ago=1810, snapshot={}
    )
    beyond = await _call(
        make, tenant, agent, answered_seconds_ago=1800 + 121, created_seconds_ago=1950, snapshot={}
    )

    # when
    await calls.fail_abandoned(bus=None)

    # then
    assert (await Call.get(id=within.id)).status == "in_progress"
    assert (await Call.get(id=beyond.id)).ended_reason == "worker_lost"


async def test_the_janitor_deletes_the_rooms_of_the_calls_it_ends(make, settings, livekit):
    # given: an abandoned call whose room still exists, and a young one
    tenant = await make.tenant("Calls Co")
    agent = await make.agent(tenant, phone_number=True, max_call_duration_seconds=60)
    lost = await _call(make, tenant, agent, answered_seconds_ago=200, created_seconds_ago=230)
    running = await _call(make, tenant, agent, answered_seconds_ago=10, created_seconds_ago=20)
    await _with_rooms(lost, running)

    # when
    await _fail_abandoned_on(settings, livekit)

    # then: the lost call's caller is not left on a silent line; the young call keeps its room
    assert [r.message.room for r in livekit.requests_for("DeleteRoom")] == [  # type: ignore[union-attr]
        calls.room_name(lost.id)
    ]
    assert (await Call.get(id=lost.id)).ended_reason == "worker_lost"


async def test_a_room_that_cannot_be_deleted_does_not_stop_the_janitor(make, settings, livekit):
    # given: two abandoned calls, and LiveKit failing the first deletion
    tenant = await make.tenant("Calls Co")
    agent = await make.agent(tenant, phone_number=True, max_call_duration_seconds=60)
    first = await _call(make, tenant, agent, answered_seconds_ago=200, created_seconds_ago=230)
    second = await _call(make, tenant, agent, answered_seconds_ago=300, created_seconds_ago=330)
    await _with_rooms(first, second)
    livekit.fail_next("DeleteRoom", status=503)

    # when
    failed = await _fail_abandoned_on(settings, livekit)

    # then: both calls ended; the room LiveKit refused to delete will close on its own
    assert failed == 2
    assert len(livekit.requests_for("DeleteRoom", accepted_only=False)) == 2
    for call in (first, second):
        assert (await Call.get(id=call.id)).status == "failed"
