"""An incoming call is handed to the agent's human (cold transfer) through Twilio's referUrl.

The caller's call reaches Twilio, whose `<Dial><Sip>` bridges it into the call's LiveKit
room; the agent transfers with LiveKit's TransferSIPParticipant, LiveKit sends a SIP REFER
to Twilio, Twilio asks our referUrl what to do and dials the person. The fakes follow the
vendors' pages (tests/fakes/twilio_sip.py, tests/fakes/livekit.py).
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

import pytest

from core.integrations import livekit_rooms
from orm.models import Call
from tests.calls_transfer.conftest import RINGING_SECONDS
from tests.calls_transfer.helpers import (
    CALLER_IDENTITY,
    GREETING,
    HUMAN,
    tool_outputs,
    transfer_events,
    worker_on,
)
from tests.fakes.twilio_sip import Answer, DialLeg, FarEnd, TwilioSip
from tests.support.calls import phone_agent
from tests.support.scripted_llm import ScriptedLLM
from tests.support.telephony import (
    CALLER,
    PUBLIC_BASE_URL,
    Telephony,
    call_by_sid,
    voice_params,
)

TRANSFER_TURNS = [GREETING, [("transfer_call", {})], "(after the transfer)"]


async def _delivered(make, telephony: Telephony) -> tuple[Call, dict[str, str], str]:
    """Twilio delivers a call to an agent that transfers to HUMAN: the call, what Twilio
    sent, and the TwiML our voice webhook answered."""
    agent = await phone_agent(make, transfer_to=HUMAN)
    params = voice_params(agent.phone_number.e164)
    answer = await telephony.voice(params)
    call = await call_by_sid(params["CallSid"])
    assert call is not None
    return call, params, answer.text


async def _incoming_call(make, telephony: Telephony, twilio: TwilioSip) -> tuple[Call, DialLeg]:
    """A caller Twilio bridged into the call's room with the TwiML our voice webhook
    answered."""
    call, params, twiml = await _delivered(make, telephony)
    leg = twilio.bridge(
        twiml,
        call_sid=params["CallSid"],
        from_=CALLER,
        to=params["To"],
        livekit=telephony.livekit,
        identity=CALLER_IDENTITY,
    )
    return call, leg


async def test_the_answer_to_an_incoming_call_lets_twilio_take_a_refer(make, telephony):
    # when Twilio delivers a call to an agent that transfers
    call, _, twiml = await _delivered(make, telephony)

    # then the <Dial> names a referUrl of ours (a REFER without one is refused: error 13802),
    # and keeps the caller with the agent until the person answers (answerOnBridge)
    dial = ElementTree.fromstring(twiml).find("./Dial")
    assert dial is not None
    assert dial.get("referUrl") == f"{PUBLIC_BASE_URL}/webhooks/twilio/refer?call={call.id}"
    assert dial.get("referMethod") == "POST"
    assert dial.get("answerOnBridge") == "true"


async def test_an_incoming_call_is_transferred_to_the_agents_human(
    make, server, telephony, twilio, network
):
    # given a caller on the line, and a person who answers after a short ring
    call, leg = await _incoming_call(make, telephony, twilio)
    network.at(HUMAN, FarEnd(Answer.ANSWER, ring_seconds=0.2))
    model = ScriptedLLM(TRANSFER_TURNS)

    # when the caller asks for a person and the agent transfers them
    async with worker_on(call.id, telephony.settings, model, bus=server.bus) as running:
        result = await running.says("Can I talk to a person, please?")

    # then Twilio took the REFER, asked our referUrl, and connected the caller to the person
    assert twilio.alerts == []
    [refer] = leg.refers
    assert refer.refer_to == f"tel:{HUMAN}"
    assert (refer.webhook_status, refer.dialled, refer.caller_id) == (200, HUMAN, CALLER)
    assert (leg.state, leg.connected_to) == ("transferred", HUMAN)
    assert tool_outputs(result) == [("The caller has been transferred.", False)]
    # and the record shows each step, and the call ended as transferred
    assert await transfer_events(call.id) == [
        ("call.transfer_started", {"to": HUMAN, "mode": "cold"}),
        ("call.transfer", {"to": HUMAN, "outcome": "transferred", "reason": None, "mode": "cold"}),
    ]
    after = await Call.get(id=call.id)
    assert (after.status, after.ended_reason) == ("completed", "transferred")
    # and the worker left the room, whose caller is gone
    assert running.hung_up == [call.livekit_room]
    # and Twilio, which dropped the agent's leg once the person answered, reported the end
    # of our <Dial> to its action (tests/fakes/twilio_sip.py): we answered nothing to say or
    # fetch (no apology, no <Hangup>, no <Redirect>), and the API left room and record alone
    [action] = leg.action_requests
    assert (action.status, action.params["DialCallStatus"]) == (200, "completed")
    assert action.verbs == []
    assert telephony.livekit.requests_for("DeleteRoom") == []


async def test_a_person_who_answers_after_the_api_timeout_is_still_transferred(
    make, server, telephony, twilio, network, monkeypatch
):
    # given LiveKit's ordinary API calls time out sooner than the person picks up
    monkeypatch.setattr(livekit_rooms, "_TIMEOUT_SECONDS", 0.2)
    call, leg = await _incoming_call(make, telephony, twilio)
    network.at(HUMAN, FarEnd(Answer.ANSWER, ring_seconds=0.6))
    model = ScriptedLLM(TRANSFER_TURNS)

    # when the agent transfers
    async with worker_on(call.id, telephony.settings, model, bus=server.bus) as running:
        await running.says("Put me through to someone.")

    # then the transfer waited for the ringing, not for the API timeout
    assert leg.state == "transferred"
    assert [(kind, data.get("outcome")) for kind, data in await transfer_events(call.id)] == [
        ("call.transfer_started", None),
        ("call.transfer", "transferred"),
    ]
    # and LiveKit was told how long the person may ring (Twilio's <Dial> rings the person
    # for RINGING_SECONDS; LiveKit waits a little longer for Twilio's last NOTIFY)
    [request] = telephony.livekit.requests_for("TransferSIPParticipant")
    ringing = request.message.ringing_timeout.ToTimedelta().total_seconds()
    assert ringing > RINGING_SECONDS


@pytest.mark.parametrize(
    ("far_end", "outcome", "reason"),
    [
        (FarEnd(Answer.BUSY), "busy", "sip_486"),
        (FarEnd(Answer.NO_ANSWER), "no_answer", "sip_480"),
        (FarEnd(Answer.DECLINE, ring_seconds=0.1), "declined", "sip_603"),
    ],
    ids=["busy", "no-answer", "declined"],
)
async def test_a_transfer_nobody_takes_leaves_the_caller_with_the_agent(
    make, server, telephony, twilio, network, far_end, outcome, reason
):
    # given a person who is busy, does not answer, or rejects the call
    call, leg = await _incoming_call(make, telephony, twilio)
    network.at(HUMAN, far_end)
    model = ScriptedLLM(TRANSFER_TURNS)

    # when the agent transfers
    async with worker_on(call.id, telephony.settings, model, bus=server.bus) as running:
        result = await running.says("I want a human.")

    # then the caller is still with the agent, who is told why and says so
    assert leg.state == "bridged"
    [(message, is_error)] = tool_outputs(result)
    assert is_error and "Tell the caller" in message
    assert running.hung_up == []
    # and the record says how it went; the call goes on
    assert (await transfer_events(call.id))[-1] == (
        "call.transfer",
        {"to": HUMAN, "outcome": outcome, "reason": reason, "mode": "cold"},
    )
    assert (await Call.get(id=call.id)).status == "in_progress"
