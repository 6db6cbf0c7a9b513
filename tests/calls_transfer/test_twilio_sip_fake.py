"""The Twilio side of a REFER, as the fake does it: Twilio's documented rules, checked
through LiveKitRooms against the fake LiveKit (what the worker runs)."""

from __future__ import annotations

import contextlib

from twilio.twiml.voice_response import Dial, VoiceResponse

from core.call_events import TransferOutcome
from core.integrations.livekit_rooms import LiveKitRooms, TransferResult
from tests.calls_transfer.helpers import CALLER_IDENTITY, HUMAN
from tests.fakes.twilio_sip import DialLeg
from tests.support.telephony import CALLER

ROOM = "call-0123"


def _bridged(twilio, livekit, call_sid: str, **dial: object) -> DialLeg:
    """A caller Twilio bridged into ROOM with `<Dial **dial><Sip>`."""
    response = VoiceResponse()
    bridge = Dial(**dial)
    bridge.sip(f"sip:{ROOM}@sip.livekit.test;transport=tcp")
    response.append(bridge)
    return twilio.bridge(
        str(response),
        call_sid=call_sid,
        from_=CALLER,
        to="+14155550100",
        livekit=livekit,
        identity=CALLER_IDENTITY,
    )


async def _transfer(telephony, identity: str = CALLER_IDENTITY, to: str = HUMAN) -> TransferResult:
    """LiveKit transfers `identity` in ROOM, as the worker asks it to."""
    async with contextlib.aclosing(LiveKitRooms(telephony.settings)) as rooms:
        return await rooms.transfer(
            room=ROOM, identity=identity, transfer_to=to, ringing_timeout=1.0
        )


async def test_a_refer_on_a_dial_without_refer_url_is_refused_with_alert_13802(
    telephony, twilio, livekit
):
    # given a call bridged by a <Dial> that names no referUrl
    leg = _bridged(twilio, livekit, "CA1", answer_on_bridge=True)

    # when LiveKit transfers the caller
    result = await _transfer(telephony)

    # then Twilio refuses the REFER, raises alert 13802, and the caller stays where they were
    assert result.outcome is TransferOutcome.FAILED and result.reason == "sip_403"
    assert [alert.code for alert in twilio.alerts] == [13802]
    assert leg.state == "bridged" and twilio.network.dialled == []


async def test_without_answer_on_bridge_a_failed_transfer_loses_the_caller(
    telephony, twilio, livekit
):
    # given a <Dial> without answerOnBridge, whose referUrl answers no TwiML
    leg = _bridged(
        twilio, livekit, "CA2", refer_url=f"{telephony.settings.public_base_url}/nowhere"
    )

    # when LiveKit transfers the caller
    result = await _transfer(telephony)

    # then Twilio reported success as soon as it fetched the referUrl and dropped the
    # agent's leg, so the caller is lost ("Scenarios", refer-to-twilio page)
    assert result.outcome is TransferOutcome.TRANSFERRED
    assert leg.state == "caller_lost"


async def test_the_first_dials_action_hears_of_the_hand_over_and_is_not_obeyed(
    telephony, twilio, livekit
):
    # given a <Dial> with an action, without answerOnBridge, whose referUrl answers no TwiML
    base = telephony.settings.public_base_url
    leg = _bridged(
        twilio,
        livekit,
        "CA3",
        refer_url=f"{base}/nowhere",
        action=f"{base}/webhooks/twilio/dial-status",
    )

    # when LiveKit transfers the caller
    await _transfer(telephony)

    # then dropping the agent's leg ended the first <Dial>, bridged: Twilio requested its
    # action, signed (our route answered), and ran nothing of the answer, since the call
    # now runs the referUrl's TwiML (TwiML changelog, Dial 2021-05-13)
    [action] = leg.action_requests
    assert (action.params["DialCallStatus"], action.params["DialBridged"]) == ("completed", "true")
    assert action.params["CallSid"] == "CA3"
    assert action.status == 200
    assert leg.state == "caller_lost"


async def test_a_trunk_without_pstn_transfers_refuses_a_refer_to_a_number(
    telephony, twilio, livekit
):
    # given an outbound call on an Elastic SIP trunk that may transfer only to SIP addresses
    leg = twilio.trunk(livekit=livekit, room=ROOM, identity="callee", pstn_transfer=False)

    # when LiveKit transfers the callee to a phone number
    refused = await _transfer(telephony, "callee")
    # and to a SIP address
    taken = await _transfer(telephony, "callee", "sip:desk@pbx.example.com")

    # then only the SIP address is dialled
    assert (refused.outcome, refused.reason) == (TransferOutcome.FAILED, "sip_403")
    assert taken.outcome is TransferOutcome.TRANSFERRED
    assert leg.refers == [f"tel:{HUMAN}", "sip:desk@pbx.example.com"]
    assert (leg.state, leg.connected_to) == ("transferred", "sip:desk@pbx.example.com")
