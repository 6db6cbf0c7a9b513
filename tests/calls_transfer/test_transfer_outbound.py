"""An outgoing call (placed by LiveKit through the Elastic SIP trunk) is transferred with the
same TransferSIPParticipant; the REFER goes to the trunk, which must allow transfers
(https://www.twilio.com/docs/sip-trunking/call-transfer)."""

from __future__ import annotations

import uuid

from orm.models import Call
from tests.calls_transfer.helpers import (
    CALLER_IDENTITY,
    HUMAN,
    tool_outputs,
    transfer_events,
    worker_on,
)
from tests.fakes.twilio_sip import Answer, FarEnd
from tests.support.scripted_llm import ScriptedLLM

# We phoned them: the callee speaks first, so the model's first turn answers them.
TRANSFER_TURNS = [[("transfer_call", {})], "(after the transfer)"]


async def _outgoing_call(make) -> Call:
    tenant = await make.tenant()
    agent = await make.agent(tenant, phone_number=True, transfer_to=HUMAN)
    return await make.call(
        tenant, agent, direction="outbound", livekit_room=f"call-{uuid.uuid4().hex}"
    )


async def test_the_callee_is_transferred_through_the_trunk(
    make, server, telephony, twilio, network
):
    # given an outgoing call on a trunk that allows transfers, and a person who answers
    call = await _outgoing_call(make)
    leg = twilio.trunk(livekit=telephony.livekit, room=call.livekit_room, identity=CALLER_IDENTITY)
    network.at(HUMAN, FarEnd(Answer.ANSWER, ring_seconds=0.1))

    # when the callee asks for a person
    async with worker_on(
        call.id, telephony.settings, ScriptedLLM(TRANSFER_TURNS), bus=server.bus
    ) as running:
        await running.says("Let me talk to a person.")

    # then
    assert (leg.state, leg.connected_to) == ("transferred", HUMAN)
    outcomes = [(kind, data.get("outcome")) for kind, data in await transfer_events(call.id)]
    assert outcomes == [("call.transfer_started", None), ("call.transfer", "transferred")]
    assert running.hung_up == [call.livekit_room]


async def test_a_trunk_without_transfers_to_the_phone_network_keeps_the_callee(
    make, server, telephony, twilio
):
    # given a trunk whose "PSTN transfer" is off
    call = await _outgoing_call(make)
    leg = twilio.trunk(
        livekit=telephony.livekit,
        room=call.livekit_room,
        identity=CALLER_IDENTITY,
        pstn_transfer=False,
    )

    # when the agent transfers to a phone number
    async with worker_on(
        call.id, telephony.settings, ScriptedLLM(TRANSFER_TURNS), bus=server.bus
    ) as running:
        result = await running.says("Let me talk to a person.")

    # then the REFER is refused; the callee stays with the agent, who says so
    assert leg.state == "bridged"
    [(_, is_error)] = tool_outputs(result)
    assert is_error
    assert (await transfer_events(call.id))[-1] == (
        "call.transfer",
        {"to": HUMAN, "outcome": "failed", "reason": "sip_403", "mode": "cold"},
    )
