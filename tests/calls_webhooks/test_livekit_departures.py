"""POST /webhooks/livekit `participant_left`: who left the call's room decides what happens.

LiveKit reports each participant with its kind (https://docs.livekit.io/intro/basics/
rooms-participants-tracks/webhooks-events/; `ParticipantInfo.Kind`: `AGENT` for the
worker's participant, `SIP` for the caller's line). The worker's participant leaving a call
that is not over means the job died (a crash, a kill, a lost connection): nobody is talking
to the caller, so the room is deleted (the line drops) and the call ends `failed` /
`worker_lost`. The caller's line leaving is a hang-up, or a transfer the worker is about to
record. Both are decided after LIVEKIT_DEPARTURE_GRACE_SECONDS, so that the worker, which
saw the same departure and knows why, records first; the ending rule
(tests/calls_webhooks/test_call_ending_rule.py) settles whatever still arrives late.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

from core.call_events import CallStatus
from orm.models import Call, CallEvent
from tests.support.calls import call_in_progress, participant_event, record_end
from tests.support.logs import capture_logs
from tests.support.telephony import AGENT_KIND, SIP, Telephony, telephony_app
from tests.support.waiting import eventually

STANDARD = 0
DEPARTURE_LOGGER = "webhooks.livekit"


@contextlib.asynccontextmanager
async def _in_progress(
    make, server, livekit, *, grace: float = 0.05
) -> AsyncIterator[tuple[Telephony, Call]]:
    """The API deciding departures after `grace` seconds, and a call in progress on it."""
    async with telephony_app(
        server.settings, livekit, livekit_departure_grace_seconds=grace
    ) as telephony:
        yield telephony, await call_in_progress(make, telephony, "Departures Co")


def _room_deleted(telephony: Telephony, room: str | None) -> bool:
    return any(r.message.room == room for r in telephony.livekit.requests_for("DeleteRoom"))  # type: ignore[union-attr]


async def _reasons(call_id) -> list[str | None]:
    rows = await CallEvent.filter(call_id=call_id, type="call.status_changed").order_by("seq")
    return [row.data["reason"] for row in rows]


def _checked(logs, call: Call) -> bool:
    """The webhook logged that it decided a departure of this call (after the grace)."""
    return any(
        record.getMessage() == "LiveKit departure decided"
        and getattr(record, "call_id", None) == str(call.id)
        for record in logs.records
    )


async def test_the_worker_leaving_a_call_in_progress_fails_it_and_deletes_the_room(
    make, server, livekit
):
    async with _in_progress(make, server, livekit) as (telephony, call):
        # when: the worker's participant leaves (its job crashed) and nobody records why
        await participant_event(
            telephony, "participant_left", call, AGENT_KIND, identity="agent-AJ_1"
        )

        # then: the caller is not left in silence, and the record says what happened
        await eventually(lambda: _room_deleted(telephony, call.livekit_room), what="room deleted")
        ended = await Call.get(id=call.id)
        assert (ended.status, ended.ended_reason) == ("failed", "worker_lost")
        assert (await _reasons(call.id))[-1] == "worker_lost"
        changed = await CallEvent.filter(call_id=call.id).order_by("-seq").offset(1).first()
        assert changed is not None and changed.data["source"] == "livekit"


async def test_the_worker_leaving_after_it_ended_the_call_changes_nothing_but_the_room(
    make, server, livekit
):
    async with _in_progress(make, server, livekit) as (telephony, call):
        # given: the agent said goodbye and ended the call
        await record_end(call, CallStatus.COMPLETED, "agent_ended")
        before = await _reasons(call.id)

        # when
        await participant_event(
            telephony, "participant_left", call, AGENT_KIND, identity="agent-AJ_2"
        )

        # then: the ending stands; the room is gone in any case
        await eventually(lambda: _room_deleted(telephony, call.livekit_room), what="room deleted")
        ended = await Call.get(id=call.id)
        assert (ended.status, ended.ended_reason) == ("completed", "agent_ended")
        assert await _reasons(call.id) == before


async def test_a_job_that_crashed_with_a_record_still_hangs_up_the_caller(make, server, livekit):
    async with _in_progress(make, server, livekit) as (telephony, call):
        # given: the job failed and said so, but nobody deleted the room
        await record_end(call, CallStatus.FAILED, "worker_error:RuntimeError")

        # when
        await participant_event(
            telephony, "participant_left", call, AGENT_KIND, identity="agent-AJ_3"
        )

        # then
        await eventually(lambda: _room_deleted(telephony, call.livekit_room), what="room deleted")
        ended = await Call.get(id=call.id)
        assert ended.ended_reason == "worker_error:RuntimeError"


async def test_the_worker_leaving_after_a_transfer_keeps_the_room(make, server, livekit):
    async with _in_progress(make, server, livekit) as (telephony, call):
        # given: the caller was handed to a person who talks with them in the call's room
        await record_end(call, CallStatus.COMPLETED, "transferred")

        with capture_logs(DEPARTURE_LOGGER, logging.INFO) as logs:
            # when: the agent leaves them to it
            await participant_event(
                telephony, "participant_left", call, AGENT_KIND, identity="agent-AJ_4"
            )

            # then: the room stays
            await eventually(lambda: _checked(logs, call), what="the departure is decided")
        assert not _room_deleted(telephony, call.livekit_room)
        assert (await Call.get(id=call.id)).ended_reason == "transferred"


async def test_an_agent_leaving_another_room_of_the_call_changes_nothing(make, server, livekit):
    async with _in_progress(make, server, livekit) as (telephony, call):
        # given: a consultation room of a warm transfer names the call in its metadata
        before = await _reasons(call.id)

        with capture_logs(DEPARTURE_LOGGER, logging.INFO) as logs:
            # when: the agent briefing the person there leaves it
            await participant_event(
                telephony,
                "participant_left",
                call,
                AGENT_KIND,
                identity="agent-consult",
                room=f"{call.livekit_room}-consult",
            )

            # then
            await eventually(lambda: _checked(logs, call), what="the departure is decided")
        assert (await Call.get(id=call.id)).status == "in_progress"
        assert await _reasons(call.id) == before
        assert livekit.requests_for("DeleteRoom") == []


async def test_a_standard_participant_leaving_changes_nothing(make, telephony):
    # given: someone listening in (a standard participant) leaves
    call = await call_in_progress(make, telephony, "Departures Co")
    before = await _reasons(call.id)

    with capture_logs(DEPARTURE_LOGGER, logging.INFO) as logs:
        # when
        await participant_event(telephony, "participant_left", call, STANDARD, identity="listener")

        # then: not even a departure to decide
        assert not _checked(logs, call)
    assert (await Call.get(id=call.id)).status == "in_progress"
    assert await _reasons(call.id) == before


async def test_a_caller_leaving_without_a_word_from_the_worker_hung_up(make, server, livekit):
    async with _in_progress(make, server, livekit) as (telephony, call):
        # when: the caller's line leaves, and the worker records nothing
        await participant_event(telephony, "participant_left", call, SIP, identity="sip-caller")

        # then: after the grace, the call ended as hung up
        await eventually(
            lambda: _ended_with(call, "caller_hung_up"), what="the call ends as hung up"
        )
        assert not _room_deleted(telephony, call.livekit_room)


async def test_a_transfer_recorded_within_the_grace_is_never_taken_for_a_hang_up(
    make, server, livekit
):
    # The longest grace there is: the worker's record below comes within microseconds.
    async with _in_progress(make, server, livekit, grace=4) as (telephony, call):
        with capture_logs(DEPARTURE_LOGGER, logging.INFO) as logs:
            # when: the transfer makes the caller's line leave, then the worker records it
            await participant_event(telephony, "participant_left", call, SIP, identity="sip-caller")
            await record_end(call, CallStatus.COMPLETED, "transferred")

            # then: the departure, decided after the grace, adds nothing
            await eventually(lambda: _checked(logs, call), what="the departure is decided")
        assert "caller_hung_up" not in await _reasons(call.id)
        assert (await Call.get(id=call.id)).ended_reason == "transferred"


async def test_the_caller_leaving_after_the_recorded_transfer_changes_nothing(
    make, server, livekit
):
    async with _in_progress(make, server, livekit, grace=0) as (telephony, call):
        # given: the worker recorded the transfer first
        await record_end(call, CallStatus.COMPLETED, "transferred")
        before = await _reasons(call.id)

        with capture_logs(DEPARTURE_LOGGER, logging.INFO) as logs:
            # when: LiveKit reports the caller's line leaving
            await participant_event(telephony, "participant_left", call, SIP, identity="sip-caller")
            await eventually(lambda: _checked(logs, call), what="the departure is decided")

        # then
        assert await _reasons(call.id) == before
        assert (await Call.get(id=call.id)).ended_reason == "transferred"


async def _ended_with(call: Call, reason: str) -> bool:
    return (await Call.get(id=call.id)).ended_reason == reason
