"""POST /webhooks/livekit: a SIP participant joining answers a call only when its
`sip.callStatus` is `active` (https://docs.livekit.io/sip/sip-participant/). A dialled
callee joins while its phone rings, a caller before LiveKit picks up."""

from __future__ import annotations

import pytest

from orm.models import Call, CallEvent
from tests.support.telephony import SIP, livekit_authorization, livekit_event_body, start_call


async def _ringing_call(make, telephony) -> Call:
    tenant = await make.tenant("Calls Co")
    agent = await make.agent(tenant, phone_number=True)
    return await start_call(telephony, agent.phone_number.e164)


async def _join(telephony, call: Call, status: str):
    body = livekit_event_body(
        "participant_joined",
        room=call.livekit_room or "",
        call_id=call.id,
        participant_kind=SIP,
        identity="callee",
        attributes={"sip.callStatus": status, "sip.phoneNumber": "+14155550142"},
    )
    return await telephony.livekit_event(body, livekit_authorization(body))


@pytest.mark.parametrize("status", ["dialing", "ringing"])
async def test_a_participant_joining_before_the_answer_leaves_the_call_ringing(
    make, telephony, status
):
    # given
    call = await _ringing_call(make, telephony)
    events_before = await CallEvent.filter(call_id=call.id).count()

    # when
    response = await _join(telephony, call, status)

    # then
    assert response.status_code == 204
    unchanged = await Call.get(id=call.id)
    assert (unchanged.status, unchanged.answered_at) == ("ringing", None)
    assert await CallEvent.filter(call_id=call.id).count() == events_before


async def test_an_answered_participant_joining_puts_the_call_in_progress(make, telephony):
    # given
    call = await _ringing_call(make, telephony)

    # when
    response = await _join(telephony, call, "active")

    # then
    assert response.status_code == 204
    answered = await Call.get(id=call.id)
    assert answered.status == "in_progress" and answered.answered_at is not None
