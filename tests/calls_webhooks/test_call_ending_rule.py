"""Which ending wins: a rule, not the order of arrival.

A transfer makes the caller's SIP participant leave the room, so LiveKit (and the worker's
own session) see "the caller left" while the worker records "transferred"; a job that
shuts down sees its room go. Those are inferences; the party that ended the call on purpose
knows why. Whatever order the signals arrive in, the call ends with the reason of the one
that decided (core.services.calls.ending_wins), charged once.
"""

from __future__ import annotations

import itertools

import pytest

from core.call_events import CallStatus, StatusSource
from core.services import calls
from orm.models import Call, CallEvent, CreditLedgerEntry
from tests.support.telephony import event_types

pytestmark = pytest.mark.usefixtures("server")

# (status, source, reason) as each party reports it
CALLER_LEFT = (CallStatus.COMPLETED, StatusSource.LIVEKIT, "caller_hung_up")
WORKER_SAW_CALLER_LEAVE = (CallStatus.COMPLETED, StatusSource.WORKER, "caller_hung_up")
TRANSFERRED = (CallStatus.COMPLETED, StatusSource.WORKER, "transferred")
JOB_SHUTDOWN = (CallStatus.COMPLETED, StatusSource.WORKER, "job_shutdown")
ROOM_CLOSED = (CallStatus.COMPLETED, StatusSource.LIVEKIT, "room_closed")
TWILIO_COMPLETED = (CallStatus.COMPLETED, StatusSource.TWILIO, "twilio_completed")
AGENT_ENDED = (CallStatus.COMPLETED, StatusSource.WORKER, "agent_ended")
WORKER_LOST = (CallStatus.FAILED, StatusSource.LIVEKIT, "worker_lost")
WORKER_ERROR = (CallStatus.FAILED, StatusSource.WORKER, "worker_error:RuntimeError")


async def _call_in_progress(make) -> Call:
    tenant = await make.tenant("Ending Co", balance=1000)
    return await make.call(tenant, answered_seconds_ago=30)


async def _signal(call: Call, signal: tuple[CallStatus, StatusSource, str]) -> None:
    status, source, reason = signal
    await calls.apply_status(call_id=call.id, status=status, source=source, reason=reason, bus=None)


@pytest.mark.parametrize(
    ("signals", "final"),
    [
        # the transfer's own departure never stands for a hang-up
        ((CALLER_LEFT, TRANSFERRED), ("completed", "transferred")),
        ((WORKER_SAW_CALLER_LEAVE, TRANSFERRED), ("completed", "transferred")),
        ((CALLER_LEFT, WORKER_SAW_CALLER_LEAVE, TRANSFERRED), ("completed", "transferred")),
        # the agent saying goodbye is why the room closed and the job shut down
        ((ROOM_CLOSED, JOB_SHUTDOWN, AGENT_ENDED), ("completed", "agent_ended")),
        ((TWILIO_COMPLETED, AGENT_ENDED), ("completed", "agent_ended")),
        # "the worker is gone" gives way to what the worker itself reports
        ((WORKER_LOST, TRANSFERRED), ("completed", "transferred")),
        ((WORKER_LOST, WORKER_ERROR), ("failed", "worker_error:RuntimeError")),
    ],
)
async def test_the_deciding_signal_wins_in_any_order(make, signals, final):
    outcomes = set()
    for order in itertools.permutations(signals):
        # given
        call = await _call_in_progress(make)

        # when
        for signal in order:
            await _signal(call, signal)

        # then: the same ending, ended and charged once, whatever the order
        ended = await Call.get(id=call.id)
        outcomes.add((ended.status, ended.ended_reason))
        types = await event_types(call.id)
        assert types.count("call.ended") == 1, order
        assert await CreditLedgerEntry.filter(reference=f"call:{call.id}").count() == 1
    assert outcomes == {final}


@pytest.mark.parametrize(
    ("first", "then", "final"),
    [
        # the caller hung up, and then the worker's participant left: nothing was lost
        (CALLER_LEFT, WORKER_LOST, ("completed", "caller_hung_up")),
        # the worker vanished under a call, and then its room was deleted: it was lost
        (WORKER_LOST, CALLER_LEFT, ("failed", "worker_lost")),
        (JOB_SHUTDOWN, ROOM_CLOSED, ("completed", "job_shutdown")),
    ],
)
async def test_an_inference_adds_nothing_to_a_call_that_ended(make, first, then, final):
    # given
    call = await _call_in_progress(make)
    await _signal(call, first)
    events_before = await event_types(call.id)

    # when
    await _signal(call, then)

    # then: what was seen first is what happened first
    ended = await Call.get(id=call.id)
    assert (ended.status, ended.ended_reason) == final
    assert await event_types(call.id) == events_before


async def test_a_reason_corrected_after_the_end_is_recorded_as_an_update(make):
    # given: LiveKit saw the caller's line leave (the transfer under way) and ended the call
    call = await _call_in_progress(make)
    await _signal(call, CALLER_LEFT)
    events_before = await event_types(call.id)

    # when: the worker records the transfer that made the line leave
    await _signal(call, TRANSFERRED)

    # then: the call says why it really ended; the change is one `call.updated`
    ended = await Call.get(id=call.id)
    assert (ended.status, ended.ended_reason) == ("completed", "transferred")
    assert await event_types(call.id) == [*events_before, "call.updated"]
    update = await CallEvent.filter(call_id=call.id).order_by("-seq").first()
    assert update is not None
    assert update.data["changed_fields"] == ["ended_reason"]
    assert update.data["ended_reason"] == "transferred"
    assert update.data["previous_ended_reason"] == "caller_hung_up"
    assert update.data["source"] == "worker"

    # when: the same signal again
    await _signal(call, TRANSFERRED)

    # then: nothing more
    assert await event_types(call.id) == [*events_before, "call.updated"]


@pytest.mark.parametrize(
    ("current", "incoming", "wins"),
    [
        # an inference never replaces an ending
        (("completed", "agent_ended"), ("failed", "worker_lost"), False),
        (("completed", "caller_hung_up"), ("failed", "never_answered"), False),
        (("completed", "caller_hung_up"), ("completed", "room_closed"), False),
        # the party that decided replaces an inference, whatever the status
        (("completed", "caller_hung_up"), ("completed", "transferred"), True),
        (("failed", "worker_lost"), ("completed", "agent_ended"), True),
        (("completed", "job_shutdown"), ("failed", "worker_error:KeyError"), True),
        # between two decided endings, the more specific status (completed < ... < failed)
        (("completed", "agent_ended"), ("busy", "twilio_busy"), True),
        (("busy", "twilio_busy"), ("completed", "agent_ended"), False),
        (("completed", "agent_ended"), ("completed", "transferred"), False),
    ],
)
def test_ending_wins(current, incoming, wins):
    assert (
        calls.ending_wins(
            current=(CallStatus(current[0]), current[1]),
            incoming=(CallStatus(incoming[0]), incoming[1]),
        )
        is wins
    )


def test_a_signal_without_a_reason_only_moves_to_a_more_specific_status():
    seen = (CallStatus.COMPLETED, "caller_hung_up")
    assert calls.ending_wins(current=seen, incoming=(CallStatus.COMPLETED, None)) is False
    assert calls.ending_wins(current=seen, incoming=(CallStatus.FAILED, None)) is True
