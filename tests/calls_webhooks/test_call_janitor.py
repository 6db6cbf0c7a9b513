"""fail_abandoned: no call stays ringing or in progress forever when its worker vanished."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.services import calls
from orm.models import Call
from tests.calls_webhooks.helpers import event_types, start_call, status_params, workspace


async def _call(
    gql,
    telephony,
    number: str,
    *,
    answered_seconds_ago: float | None = None,
    created_seconds_ago: float = 0,
) -> Call:
    call = await start_call(telephony, number)
    now = datetime.now(UTC)
    if answered_seconds_ago is not None:
        await telephony.status(status_params(call.twilio_call_sid, "in-progress"))
        await Call.filter(id=call.id).update(
            answered_at=now - timedelta(seconds=answered_seconds_ago)
        )
    await Call.filter(id=call.id).update(created_at=now - timedelta(seconds=created_seconds_ago))
    return await Call.get(id=call.id)


async def test_abandoned_calls_are_failed_and_fresh_ones_left_alone(gql, telephony):
    # given: an agent whose calls may last 60 s (so the limit is 60 + 120 s of grace)
    space = await workspace(gql, maxCallDurationSeconds=60)
    number = space.agents["main"]["phoneNumber"]
    stale_ringing = await _call(gql, telephony, number, created_seconds_ago=11 * 60)
    fresh_ringing = await _call(gql, telephony, number, created_seconds_ago=9 * 60)
    lost = await _call(gql, telephony, number, answered_seconds_ago=200, created_seconds_ago=230)
    running = await _call(gql, telephony, number, answered_seconds_ago=150, created_seconds_ago=170)
    ended = await _call(gql, telephony, number, created_seconds_ago=3600)
    await telephony.status(status_params(ended.twilio_call_sid, "busy"))

    # when
    failed = await calls.fail_abandoned(bus=None, now=datetime.now(UTC))

    # then
    assert failed >= 2
    stale_ringing, fresh_ringing, lost, running, ended = [
        await Call.get(id=c.id) for c in (stale_ringing, fresh_ringing, lost, running, ended)
    ]
    assert (stale_ringing.status, stale_ringing.ended_reason) == ("failed", "never_answered")
    assert (lost.status, lost.ended_reason) == ("failed", "worker_lost")
    assert fresh_ringing.status == "ringing" and fresh_ringing.ended_reason is None
    assert running.status == "in_progress" and running.ended_reason is None
    assert (ended.status, ended.ended_reason) == ("busy", "twilio_busy")
    assert (await event_types(lost.id))[-2:] == ["call.status_changed", "call.ended"]
    assert lost.ended_at is not None and lost.duration_seconds is not None
    assert lost.duration_seconds >= 200


async def test_a_second_pass_changes_nothing(gql, telephony):
    # given
    space = await workspace(gql)
    stale = await _call(
        gql, telephony, space.agents["main"]["phoneNumber"], created_seconds_ago=20 * 60
    )
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


async def test_the_default_limit_applies_when_the_snapshot_has_none(gql, telephony):
    # given: an in-progress call whose snapshot lost its limit (default 1800 s + grace)
    space = await workspace(gql)
    number = space.agents["main"]["phoneNumber"]
    within = await _call(
        gql, telephony, number, answered_seconds_ago=1800, created_seconds_ago=1810
    )
    beyond = await _call(
        gql, telephony, number, answered_seconds_ago=1800 + 121, created_seconds_ago=1950
    )
    for call in (within, beyond):
        await Call.filter(id=call.id).update(snapshot={})

    # when
    await calls.fail_abandoned(bus=None)

    # then
    assert (await Call.get(id=within.id)).status == "in_progress"
    assert (await Call.get(id=beyond.id)).ended_reason == "worker_lost"
