"""Warm transfer, LiveKit's pattern (https://docs.livekit.io/sip/transfer-warm): the caller
holds while the agent calls the person into a consultation room, briefs them, and on
their word moves them into the caller's room; busy, no answer or "no" brings the caller
back to the agent, who says so.

The consultation call is LiveKit's CreateSIPParticipant through the outbound trunk, waiting
until answered (how long it rings is the person's, never an API timeout); the briefing is a
second session of the agent's model, here text only, the person played by the test.
"""

from __future__ import annotations

import pytest

from core.call_events import TransferMode
from core.integrations import livekit_rooms
from core.integrations.livekit_rooms import consultation_room
from orm.models import Call
from tests.calls_transfer.conftest import RINGING_SECONDS
from tests.calls_transfer.helpers import (
    GREETING,
    HUMAN,
    person_says,
    tool_outputs,
    transfer_events,
    worker_on,
)
from tests.fakes.livekit_sip import DECLINE, Callee
from tests.support.scripted_llm import ScriptedLLM
from tests.support.telephony import OUTBOUND_TRUNK_ID, Telephony, call_by_sid, voice_params

SUMMARY = "Grace Hopper wants to move her Monday check-up; our calendar shows no free slot."
WARM_TURNS = [GREETING, [("warm_transfer_call", {"summary": SUMMARY})], "(after the transfer)"]
PERSON = "transfer-target"


async def _incoming_call(make, telephony: Telephony) -> Call:
    """A caller on the line with an agent that transfers warm to HUMAN, on a platform with
    an outbound trunk to call people through."""
    tenant = await make.tenant()
    agent = await make.agent(
        tenant, phone_number=True, transfer_to=HUMAN, transfer_mode=TransferMode.WARM
    )
    telephony.livekit.add_outbound_trunk(
        numbers=[agent.phone_number.e164], trunk_id=OUTBOUND_TRUNK_ID
    )
    params = voice_params(agent.phone_number.e164)
    await telephony.voice(params)
    call = await call_by_sid(params["CallSid"])
    assert call is not None and call.livekit_room
    return call


async def test_the_person_is_briefed_then_connected_to_the_caller(make, server, telephony):
    # given a caller on the line with an agent that transfers to HUMAN
    call = await _incoming_call(make, telephony)
    livekit = telephony.livekit
    briefing = ScriptedLLM(
        [
            "Hi, this is the front desk assistant. " + SUMMARY,
            [("connect_to_caller", {})],
            "Connecting you now.",
        ]
    )

    # when the agent warm-transfers, and the person, once briefed, takes the call
    async with worker_on(
        call.id,
        telephony.settings,
        ScriptedLLM(WARM_TURNS),
        bus=server.bus,
        briefing_model=briefing,
        on_briefing=person_says("Sure, put them through."),
    ) as running:
        result = await running.says("Could I speak to someone about my appointment?")

    # then the person was called into a consultation room of their own, no agent
    # dispatched to it, from the agent's number, for as long as a transfer may ring
    consult = consultation_room(call.livekit_room)
    [room] = [r.message for r in livekit.requests_for("CreateRoom") if r.message.name == consult]
    assert list(room.agents) == []
    [dial] = livekit.requests_for("CreateSIPParticipant")
    assert dial.message.room_name == consult and dial.message.sip_call_to == HUMAN
    assert dial.message.sip_trunk_id == OUTBOUND_TRUNK_ID
    assert dial.message.sip_number == call.to_number
    assert dial.message.wait_until_answered is True
    assert dial.message.ringing_timeout.ToTimedelta().total_seconds() == RINGING_SECONDS
    # and was briefed with the summary
    assert SUMMARY in str(briefing.requests[0].items)
    # and then moved into the caller's room; the consultation room is gone
    assert livekit.moves == [(consult, PERSON, call.livekit_room)]
    assert livekit.participant(call.livekit_room, PERSON) is not None
    assert consult not in livekit.rooms
    # and the agent did not hang up the caller's room, where caller and person now talk
    assert running.hung_up == []
    assert tool_outputs(result) == [
        ("The caller is now talking with your colleague. Say nothing more.", False)
    ]
    # and the record shows each step, the call ended as transferred
    assert await transfer_events(call.id) == [
        ("call.transfer_started", {"to": HUMAN, "mode": "warm"}),
        ("call.transfer_briefing", {"to": HUMAN, "summary": SUMMARY}),
        ("call.transfer", {"to": HUMAN, "outcome": "transferred", "reason": None, "mode": "warm"}),
    ]
    after = await Call.get(id=call.id)
    assert (after.status, after.ended_reason) == ("completed", "transferred")


async def test_a_person_who_declines_sends_the_caller_back_to_the_agent(make, server, telephony):
    # given
    call = await _incoming_call(make, telephony)
    livekit = telephony.livekit
    briefing = ScriptedLLM(
        [SUMMARY, [("decline_transfer", {"reason": "in a meeting until three"})], "Understood."]
    )

    # when the person, once briefed, says no
    async with worker_on(
        call.id,
        telephony.settings,
        ScriptedLLM(WARM_TURNS),
        bus=server.bus,
        briefing_model=briefing,
        on_briefing=person_says("Sorry, I can't take it now, I'm in a meeting until three."),
    ) as running:
        result = await running.says("I'd like to talk to a person.")

    # then the caller is back with the agent, who is told why
    [(message, is_error)] = tool_outputs(result)
    assert is_error and "in a meeting until three" in message and "Tell the caller" in message
    assert livekit.moves == [] and running.hung_up == []
    # and the person's call ended with the consultation room
    assert consultation_room(call.livekit_room) not in livekit.rooms
    assert (await transfer_events(call.id))[-1] == (
        "call.transfer",
        {"to": HUMAN, "outcome": "declined", "reason": "in a meeting until three", "mode": "warm"},
    )
    assert (await Call.get(id=call.id)).status == "in_progress"


@pytest.mark.parametrize(
    ("callee", "outcome", "reason", "said"),
    [
        (Callee.busy(after=0.1), "busy", "sip_486", "busy"),
        (Callee.ringing_forever(), "no_answer", "ringing_timeout", "did not answer"),
        (Callee(respond_after=0.1, reject=DECLINE), "declined", "sip_603", "cannot take"),
    ],
    ids=["busy", "no-answer", "declined"],
)
async def test_a_person_who_is_not_reached_is_never_briefed_and_the_caller_hears_so(
    make, server, telephony, callee, outcome, reason, said
):
    # given a person whose phone is busy, rings out, or rejects the call (LiveKit reports
    # the SIP status of its dial, or that its ring window ended)
    call = await _incoming_call(make, telephony)
    livekit = telephony.livekit
    livekit.set_callee(HUMAN, callee)

    # when the agent warm-transfers
    async with worker_on(
        call.id, telephony.settings, ScriptedLLM(WARM_TURNS), bus=server.bus
    ) as running:
        result = await running.says("Can I speak to a human?")

    # then the caller is back with the agent, who is told why
    [(message, is_error)] = tool_outputs(result)
    assert is_error and said in message and "Tell the caller" in message
    assert consultation_room(call.livekit_room) not in livekit.rooms
    assert livekit.moves == [] and running.hung_up == []
    # and nobody was briefed
    assert await transfer_events(call.id) == [
        ("call.transfer_started", {"to": HUMAN, "mode": "warm"}),
        ("call.transfer", {"to": HUMAN, "outcome": outcome, "reason": reason, "mode": "warm"}),
    ]
    assert (await Call.get(id=call.id)).status == "in_progress"


async def test_a_person_who_answers_after_the_api_timeout_is_still_briefed(
    make, server, telephony, monkeypatch
):
    # given LiveKit's ordinary API calls time out sooner than the person picks up
    monkeypatch.setattr(livekit_rooms, "_TIMEOUT_SECONDS", 0.2)
    call = await _incoming_call(make, telephony)
    telephony.livekit.set_callee(HUMAN, Callee.answering(after=0.6))
    briefing = ScriptedLLM([SUMMARY, [("connect_to_caller", {})], "Connecting you now."])

    # when the agent warm-transfers
    async with worker_on(
        call.id,
        telephony.settings,
        ScriptedLLM(WARM_TURNS),
        bus=server.bus,
        briefing_model=briefing,
        on_briefing=person_says("Yes, go ahead."),
    ) as running:
        await running.says("Can I speak to a human?")

    # then the call waited for the ringing, not for the API timeout
    assert telephony.livekit.moves == [
        (consultation_room(call.livekit_room), PERSON, call.livekit_room)
    ]
    assert [kind for kind, _ in await transfer_events(call.id)] == [
        "call.transfer_started",
        "call.transfer_briefing",
        "call.transfer",
    ]
    assert (await Call.get(id=call.id)).ended_reason == "transferred"
