"""The Twilio side of a REFER, as the fake does it: Twilio's documented rules, checked
through LiveKitRooms against the fake LiveKit (what the worker runs)."""

from __future__ import annotations

import contextlib

from twilio.twiml.voice_response import Dial, VoiceResponse

from core.call_events import TransferOutcome
from core.integrations.livekit_rooms import LiveKitRooms
from tests.calls_transfer.helpers import CALLER_IDENTITY, HUMAN
from tests.support.telephony import CALLER

ROOM = "call-0123"


def _bridging_twiml(**dial: object) -> str:
    response = VoiceResponse()
    bridge = Dial(**dial)
    bridge.sip(f"sip:{ROOM}@sip.livekit.test;transport=tcp")
    response.append(bridge)
    return str(response)


async def test_a_refer_on_a_dial_without_refer_url_is_refused_with_alert_13802(
    telephony, twilio, livekit
):
    # given a call bridged by a <Dial> that names no referUrl
    leg = twilio.bridge(
        _bridging_twiml(answer_on_bridge=True),
        call_sid="CA1",
        from_=CALLER,
        to="+14155550100",
        livekit=livekit,
        identity=CALLER_IDENTITY,
    )

    # when LiveKit transfers the caller
    async with contextlib.aclosing(LiveKitRooms(telephony.settings)) as rooms:
        result = await rooms.transfer(
            room=ROOM, identity=CALLER_IDENTITY, transfer_to=HUMAN, ringing_timeout=1.0
        )

    # then Twilio refuses the REFER, raises alert 13802, and the caller stays where they were
    assert result.outcome is TransferOutcome.FAILED and result.reason == "sip_403"
    assert [alert.code for alert in twilio.alerts] == [13802]
    assert leg.state == "bridged" and twilio.network.dialled == []


async def test_without_answer_on_bridge_a_failed_transfer_loses_the_caller(
    telephony, twilio, livekit
):
    # given a <Dial> without answerOnBridge, whose referUrl answers no TwiML
    leg = twilio.bridge(
        _bridging_twiml(refer_url=f"{telephony.settings.public_base_url}/nowhere"),
        call_sid="CA2",
        from_=CALLER,
        to="+14155550100",
        livekit=livekit,
        identity=CALLER_IDENTITY,
    )

    # when LiveKit transfers the caller
    async with contextlib.aclosing(LiveKitRooms(telephony.settings)) as rooms:
        result = await rooms.transfer(
            room=ROOM, identity=CALLER_IDENTITY, transfer_to=HUMAN, ringing_timeout=1.0
        )

    # then Twilio reported success as soon as it fetched the referUrl and dropped the
    # agent's leg, so the caller is lost ("Scenarios", refer-to-twilio page)
    assert result.outcome is TransferOutcome.TRANSFERRED
    assert leg.state == "caller_lost"


async def test_a_trunk_without_pstn_transfers_refuses_a_refer_to_a_number(
    telephony, twilio, livekit
):
    # given an outbound call on an Elastic SIP trunk that may transfer only to SIP addresses
    leg = twilio.trunk(livekit=livekit, room=ROOM, identity="callee", pstn_transfer=False)

    async with contextlib.aclosing(LiveKitRooms(telephony.settings)) as rooms:
        # when LiveKit transfers the callee to a phone number
        refused = await rooms.transfer(
            room=ROOM, identity="callee", transfer_to=HUMAN, ringing_timeout=1.0
        )
        # and to a SIP address
        taken = await rooms.transfer(
            room=ROOM,
            identity="callee",
            transfer_to="sip:desk@pbx.example.com",
            ringing_timeout=1.0,
        )

    # then only the SIP address is dialled
    assert (refused.outcome, refused.reason) == (TransferOutcome.FAILED, "sip_403")
    assert taken.outcome is TransferOutcome.TRANSFERRED
    assert leg.refers == [f"tel:{HUMAN}", "sip:desk@pbx.example.com"]
    assert (leg.state, leg.connected_to) == ("transferred", "sip:desk@pbx.example.com")
