"""The worker places an outgoing call: it rings the callee from the agent's own number, the
call is answered when the callee picks up (their `sip.callStatus` becomes `active`), and a
busy line, no answer or a refusal end the call with that status, its room deleted at once."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from core.call_events import CallStatus
from orm.models import Call, CallEvent, CreditLedgerEntry
from tests.calls_outbound.helpers import AGENT_NUMBER, CALLEE, outbound_job
from tests.fakes.livekit_sip import SIP_CALL_STATUS, Callee
from tests.support.telephony import OUTBOUND_TRUNK_ID
from tests.support.waiting import eventually
from worker.outbound import CALLEE_IDENTITY


async def test_the_callee_sees_the_agents_number_and_the_call_is_answered_on_pick_up(
    server, make, livekit
):
    # given a callee whose phone rings until they pick up
    livekit.set_callee(CALLEE, Callee.ringing_forever())
    async with outbound_job(server.settings, make, livekit) as job:
        room = job.call.livekit_room
        # when the worker dials and the phone rings
        await eventually(
            lambda: (
                (p := livekit.participant(room, CALLEE_IDENTITY)) is not None
                and p.sip_status == "ringing"
            ),
            what="the callee's phone rings",
        )

        # then LiveKit was asked to call from the agent's number and wait for the answer
        [dial] = livekit.requests_for("CreateSIPParticipant", accepted_only=False)  # in flight
        assert dial.message.sip_trunk_id == OUTBOUND_TRUNK_ID
        assert (dial.message.sip_call_to, dial.message.sip_number) == (CALLEE, AGENT_NUMBER)
        assert dial.message.room_name == room
        assert dial.message.wait_until_answered is True
        assert dial.message.ringing_timeout.ToTimedelta() == timedelta(seconds=30)
        callee = livekit.participant(room, CALLEE_IDENTITY)
        assert callee is not None
        assert callee.attributes["sip.trunkPhoneNumber"] == AGENT_NUMBER
        # and while it rings the call is not answered (and so not billed)
        ringing = await job.record()
        assert (ringing.status, ringing.answered_at) == ("ringing", None)

        # when the callee picks up
        picked_up = time.time()
        livekit.pick_up(room, CALLEE_IDENTITY)
        await job.prepared()

        # then the call is in progress from that moment
        answered = await job.record()
        assert answered.status == "in_progress"
        assert answered.answered_at is not None
        assert answered.answered_at.timestamp() >= picked_up
        assert callee.sip_statuses == ["dialing", "ringing", "active"]


async def test_ringing_time_is_not_billed(server, make, livekit):
    # given a call that rang for two minutes before it was answered
    livekit.set_callee(CALLEE, Callee.ringing_forever())
    async with outbound_job(server.settings, make, livekit) as job:
        await Call.filter(id=job.call.id).update(
            created_at=datetime.now(UTC) - timedelta(minutes=2)
        )
        await eventually(lambda: livekit.participant(job.call.livekit_room, CALLEE_IDENTITY))
        livekit.pick_up(job.call.livekit_room or "", CALLEE_IDENTITY)
        prepared = await job.prepared()

        # when the call ends right after the answer
        await prepared.recorder.status(CallStatus.COMPLETED, reason="agent_ended")

    # then its duration and charge count from the answer, not from the dialling
    ended = await job.record()
    assert ended.status == "completed"
    assert ended.duration_seconds is not None and ended.duration_seconds < 60
    [charge] = await CreditLedgerEntry.filter(call_id=job.call.id)
    assert charge.data["seconds"] < 60


@pytest.mark.parametrize(
    ("callee", "status", "reason"),
    [
        (Callee.busy(after=0.05), "busy", "sip_486"),
        (Callee.not_answering(after=0.05), "no_answer", "sip_480"),
        (Callee.ringing_forever(), "no_answer", "ringing_timeout"),
        (Callee.failing(), "failed", "sip_503"),
    ],
)
async def test_an_unanswered_call_ends_with_the_far_ends_status(
    server, make, livekit, callee, status, reason
):
    # given (LiveKit's ring window shortened for the phone that never stops ringing)
    livekit.set_callee(CALLEE, callee)
    async with outbound_job(
        server.settings, make, livekit, outbound_ringing_timeout_seconds=0.3
    ) as job:
        # when
        await job.finished()

        # then the call ended with that status, without a charge
        ended = await job.record()
        assert (ended.status, ended.ended_reason) == (status, reason)
        assert (ended.answered_at, ended.duration_seconds) == (None, 0)
        assert not await CreditLedgerEntry.filter(call_id=job.call.id).exists()
        [final] = await CallEvent.filter(call_id=job.call.id, type="call.ended")
        assert final.data["status"] == status
        # and the room was deleted at once, with nobody left in it
        room = job.call.livekit_room
        assert [r.message.room for r in livekit.requests_for("DeleteRoom")] == [room]
        assert room in livekit.closed_rooms
        # and the agent never spoke: its session was not even started
        assert job.model.requests == []
        assert not job.ready.done()


async def test_livekit_refusing_the_dial_fails_the_call(server, make, livekit):
    # given LiveKit unable to place calls
    livekit.fail_next("CreateSIPParticipant", status=503)
    async with outbound_job(server.settings, make, livekit) as job:
        # when
        await job.finished()

        # then
        ended = await job.record()
        assert (ended.status, ended.ended_reason) == ("failed", "dial_out_failed")
        assert [r.message.room for r in livekit.requests_for("DeleteRoom")] == [
            job.call.livekit_room
        ]


async def test_the_answer_is_when_the_status_becomes_active_not_when_the_callee_joins(
    server, make, livekit
):
    # given a callee already in the room (dialing) but not answering yet
    livekit.set_callee(CALLEE, Callee.ringing_forever())
    async with outbound_job(server.settings, make, livekit) as job:
        await eventually(lambda: livekit.participant(job.call.livekit_room, CALLEE_IDENTITY))
        joined = [w for w in livekit.webhooks if w.event == "participant_joined"]

        # then LiveKit reported the participant joining while dialing
        assert [w.participant.attributes[SIP_CALL_STATUS] for w in joined] == ["dialing"]
        # and the call is still ringing
        assert (await job.record()).status == "ringing"
        livekit.refuse(job.call.livekit_room or "", CALLEE_IDENTITY)
        await job.finished()
    assert (await job.record()).status == "busy"
