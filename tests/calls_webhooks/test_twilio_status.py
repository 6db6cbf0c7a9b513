"""POST /webhooks/twilio/status: Twilio's call status callbacks move the call, once, in any
order of arrival; forged or malformed callbacks change nothing."""

from __future__ import annotations

import itertools

import pytest

from core.services import calls
from orm.models import Call, CallEvent
from tests.support.telephony import (
    Telephony,
    event_types,
    new_call_sid,
    start_call,
    status_params,
)


async def _agent_number(make) -> str:
    tenant = await make.tenant("Calls Co")
    return (await make.agent(tenant, phone_number=True)).phone_number.e164


async def _ringing_call(make, telephony: Telephony, to: str | None = None) -> Call:
    """A call Twilio brought to this number (a new agent's, when not given): ringing."""
    return await start_call(telephony, to or await _agent_number(make))


async def _snapshot(call_id) -> tuple:
    call = await Call.get(id=call_id)
    rows = await CallEvent.filter(call_id=call_id).order_by("seq").values_list("seq", "type")
    return (
        call.status,
        call.ended_reason,
        call.duration_seconds,
        call.answered_at,
        call.ended_at,
        call.last_event_seq,
        list(rows),
    )


@pytest.mark.parametrize(
    ("twilio_status", "status", "ended_reason"),
    [
        ("ringing", "ringing", None),
        ("in-progress", "in_progress", None),
        ("completed", "completed", "twilio_completed"),
        ("busy", "busy", "twilio_busy"),
        ("no-answer", "no_answer", "twilio_no_answer"),
        ("canceled", "canceled", "twilio_canceled"),
        ("failed", "failed", "twilio_failed"),
    ],
)
async def test_twilio_call_statuses_map_to_ours(
    make, telephony, twilio_status, status, ended_reason
):
    # given
    call = await _ringing_call(make, telephony)

    # when
    response = await telephony.status(status_params(call.twilio_call_sid, twilio_status))

    # then
    assert response.status_code == 204
    updated = await Call.get(id=call.id)
    assert updated.status == status
    assert updated.ended_reason == ended_reason
    types = await event_types(call.id)
    if status == "ringing":
        assert types == ["call.status_changed"]  # already ringing: nothing new
    elif ended_reason is None:
        assert types == ["call.status_changed", "call.status_changed", "call.started"]
        assert updated.answered_at is not None
    else:
        assert types == ["call.status_changed", "call.status_changed", "call.ended"]
        assert updated.ended_at is not None


async def test_the_same_callback_twice_changes_nothing_the_second_time(make, telephony):
    # given
    call = await _ringing_call(make, telephony)
    for twilio_status in ("in-progress", "completed"):
        params = status_params(call.twilio_call_sid, twilio_status, CallDuration="17")
        assert (await telephony.status(params)).status_code == 204
        before = await _snapshot(call.id)

        # when
        repeated = await telephony.status(params)

        # then
        assert repeated.status_code == 204
        assert await _snapshot(call.id) == before
    assert await event_types(call.id) == [
        "call.status_changed",
        "call.status_changed",
        "call.started",
        "call.status_changed",
        "call.ended",
    ]


@pytest.mark.parametrize(
    ("statuses", "final_status", "final_reason"),
    [
        (("in-progress", "completed"), "completed", "twilio_completed"),
        (("in-progress", "completed", "failed"), "failed", "twilio_failed"),
    ],
)
async def test_any_order_of_arrival_ends_the_same(
    make, telephony, statuses, final_status, final_reason
):
    # given: one agent; a new call for every order in which the callbacks can arrive
    number = await _agent_number(make)
    outcomes = set()
    for order in itertools.permutations(statuses):
        call = await _ringing_call(make, telephony, number)

        # when
        for twilio_status in order:
            extra = {"CallDuration": "42"} if twilio_status != "in-progress" else {}
            response = await telephony.status(
                status_params(call.twilio_call_sid, twilio_status, **extra)
            )
            assert response.status_code == 204

        # then: the same end; `call.started` only where the answer came before the end (a
        # call already ended is not started afterwards)
        ended = await Call.get(id=call.id)
        types = await event_types(call.id)
        started = order.index("in-progress") < min(
            order.index(status) for status in order if status != "in-progress"
        )
        assert types.count("call.started") == int(started), order
        ending = frozenset(types) - {"call.started"}
        outcomes.add((ended.status, ended.ended_reason, ended.duration_seconds, ending))
        assert ended.ended_at is not None, order
    assert outcomes == {
        (final_status, final_reason, 42, frozenset({"call.status_changed", "call.ended"}))
    }


async def test_call_duration_is_stored(make, telephony):
    # given
    call = await _ringing_call(make, telephony)
    await telephony.status(status_params(call.twilio_call_sid, "in-progress"))

    # when
    await telephony.status(status_params(call.twilio_call_sid, "completed", CallDuration="93"))

    # then
    ended = await Call.get(id=call.id)
    assert (ended.status, ended.duration_seconds) == ("completed", 93)


async def test_twilios_duration_corrects_a_call_already_ended_by_livekit(make, telephony):
    # given: LiveKit's room_finished ended the call first (duration measured by us)
    call = await _ringing_call(make, telephony)
    await calls.apply_status(
        call_id=call.id, status=calls.CallStatus.IN_PROGRESS, source="livekit", bus=None
    )
    await calls.apply_status(
        call_id=call.id,
        status=calls.CallStatus.COMPLETED,
        source="livekit",
        reason="room_closed",
        bus=None,
    )
    events_before = await event_types(call.id)

    # when
    response = await telephony.status(
        status_params(call.twilio_call_sid, "completed", CallDuration="61")
    )

    # then: the duration is Twilio's; the ending stays LiveKit's; the change is recorded
    # (tests/calls_webhooks/test_twilio_late_status.py follows it to a dashboard)
    assert response.status_code == 204
    ended = await Call.get(id=call.id)
    assert (ended.status, ended.ended_reason, ended.duration_seconds) == (
        "completed",
        "room_closed",
        61,
    )
    assert await event_types(call.id) == [*events_before, "call.updated"]


async def test_an_unknown_call_sid_is_acknowledged_and_ignored(telephony):
    # given
    call_sid = new_call_sid()

    # when
    response = await telephony.status(status_params(call_sid, "completed"))

    # then
    assert response.status_code == 204
    assert await Call.filter(twilio_call_sid=call_sid).count() == 0


@pytest.mark.parametrize("forgery", ["unsigned", "other_token", "tampered", "other_url"])
async def test_a_forged_callback_is_refused_and_changes_nothing(make, telephony, forgery):
    # given
    call = await _ringing_call(make, telephony)
    before = await _snapshot(call.id)
    params = status_params(call.twilio_call_sid, "completed", CallDuration="5")
    options = {
        "unsigned": {"sign": False},
        "other_token": {"auth_token": "not-our-twilio-auth-token"},
        "tampered": {"sent_params": {**params, "CallDuration": "500"}},
        "other_url": {"signed_url": "https://voice.example.test/webhooks/twilio/voice"},
    }[forgery]

    # when
    response = await telephony.status(params, **options)

    # then
    assert response.status_code == 403
    assert await _snapshot(call.id) == before


async def test_an_unknown_call_status_is_a_bad_request(make, telephony):
    # given
    call = await _ringing_call(make, telephony)
    before = await _snapshot(call.id)

    # when
    response = await telephony.status(status_params(call.twilio_call_sid, "exploded"))

    # then
    assert response.status_code == 400
    assert await _snapshot(call.id) == before
