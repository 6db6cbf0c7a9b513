"""POST /webhooks/twilio/voice: a genuine call for an agent's number is bridged to its room."""

from __future__ import annotations

import asyncio

from livekit import api
from twilio.request_validator import RequestValidator

from core.analysis.plan import AnalysisPlan
from core.call_events import TransferMode
from core.services import agents, custom_functions
from core.services.agents import VoicemailAction
from orm.models import Call
from tests.fakes.livekit import room_metadata
from tests.support.telephony import (
    AGENT_NAME,
    CALLER,
    PUBLIC_BASE_URL,
    SIP_HOST,
    SIP_PASSWORD,
    SIP_USERNAME,
    TWILIO_AUTH_TOKEN,
    VOICE_PATH,
    TwiML,
    call_by_sid,
    event_types,
    voice_params,
)


async def _tenant_with_agent(make, name: str = "Calls Co", **agent_fields):
    tenant = await make.tenant(name)
    return tenant, await make.agent(tenant, phone_number=True, **agent_fields)


async def test_a_signed_call_to_an_agent_number_dials_its_livekit_room_over_sip(make, telephony):
    # given
    tenant, agent = await _tenant_with_agent(make)
    params = voice_params(agent.phone_number.e164)

    # when
    response = await telephony.voice(params)

    # then: TwiML that bridges the caller into the call's room over SIP
    twiml = TwiML.parse(response)
    call = await call_by_sid(params["CallSid"])
    assert call is not None
    room = f"call-{call.id.hex}"
    assert twiml.verbs == ["Dial"], response.text
    dial = twiml.root.find("Dial")
    assert dial is not None
    assert dial.get("answerOnBridge") == "true"
    assert dial.get("callerId") == CALLER
    sips = list(dial)
    assert [element.tag for element in sips] == ["Sip"]
    assert sips[0].text == f"sip:{room}@{SIP_HOST};transport=tcp"
    assert sips[0].get("username") == SIP_USERNAME
    assert sips[0].get("password") == SIP_PASSWORD

    # then: a ringing inbound call of the agent's organization
    assert call.status == "ringing"
    assert call.direction == "inbound"
    assert call.from_number == CALLER
    assert call.to_number == agent.phone_number.e164
    assert call.organization_id == tenant.organization_uuid  # type: ignore[attr-defined]
    assert call.agent_id == agent.id  # type: ignore[attr-defined]
    assert call.livekit_room == room
    assert call.ended_reason is None
    assert await event_types(call.id) == ["call.status_changed"]

    # then: LiveKit got the room, with the call in its metadata and our worker dispatched
    [create] = telephony.livekit.requests_for("CreateRoom")
    assert create.content_type == "application/protobuf"
    assert create.claims is not None and create.claims.video.room_create is True
    message = create.message
    assert isinstance(message, api.CreateRoomRequest)
    assert message.name == room
    assert room_metadata(create) == {
        "call_id": str(call.id),
        "organization_id": str(tenant.organization_uuid),
    }
    assert list(message.agents) == [
        api.RoomAgentDispatch(agent_name=AGENT_NAME, metadata=message.metadata)
    ]
    assert telephony.livekit.methods() == ["CreateRoom"]
    assert room in telephony.livekit.rooms


async def test_the_call_runs_with_a_snapshot_of_the_agent_that_later_edits_do_not_touch(
    make, telephony
):
    # given: an agent with a greeting, voice, language, transfer target, a tool with one
    # function switched off, and a custom function
    tenant, agent = await _tenant_with_agent(
        make,
        "Snapshot Dental",
        system_prompt="You book dental appointments.",
        greeting="Hello, Snapshot Dental, how can I help?",
        voice="Kore",
        language="de-DE",
        transfer_to="+14155550199",
        transfer_mode=TransferMode.WARM,
        voicemail_action=VoicemailAction.LEAVE_MESSAGE,
        voicemail_message="Please call Snapshot Dental back.",
        max_call_duration_seconds=900,
    )
    await make.agent_tool(agent, "google_calendar", disabled_functions=["calendar_cancel_event"])
    lookup = await make.custom_function(tenant, name="lookup_order")
    await custom_functions.set_for_agent(agent=agent, function_ids=[lookup.id])
    params = voice_params(agent.phone_number.e164)

    # when
    TwiML.parse(await telephony.voice(params))
    call = await call_by_sid(params["CallSid"])
    assert call is not None
    expected = {
        "agent_name": "Front desk",
        "system_prompt": "You book dental appointments.",
        "greeting": "Hello, Snapshot Dental, how can I help?",
        "voice": "Kore",
        "language": "de-DE",
        "max_call_duration_seconds": 900,
        "transfer_to": "+14155550199",
        "transfer_mode": "warm",
        "voicemail_action": "leave_message",
        "voicemail_message": "Please call Snapshot Dental back.",
        "tools": {
            "google_calendar": [
                "calendar_check_availability",
                "calendar_create_event",
                "calendar_list_my_appointments",
                "calendar_reschedule_event",
            ]
        },
        "custom_functions": ["lookup_order"],
        "analysis_plan": AnalysisPlan().as_stored(),  # the defaults: the agent sets none
    }

    # then
    assert call.snapshot == expected

    # when: the agent is edited while the call goes on
    await agents.update(
        agent=agent,
        changes=agents.AgentChanges(
            system_prompt="You sell ice cream.", greeting="Ice cream!", voice="Puck"
        ),
        settings=make.settings,
    )

    # then: the running call keeps what it started with; the next call gets the edit
    reread = await Call.get(id=call.id)
    assert reread.snapshot == expected
    next_params = voice_params(agent.phone_number.e164)
    TwiML.parse(await telephony.voice(next_params))
    next_call = await call_by_sid(next_params["CallSid"])
    assert next_call is not None
    assert next_call.snapshot["system_prompt"] == "You sell ice cream."
    assert next_call.snapshot["greeting"] == "Ice cream!"
    assert next_call.snapshot["voice"] == "Puck"


async def test_a_retried_webhook_gets_the_same_answer_and_creates_nothing_new(make, telephony):
    # given
    _, agent = await _tenant_with_agent(make)
    params = voice_params(agent.phone_number.e164)
    first = await telephony.voice(params)
    assert first.status_code == 200

    # when: Twilio retries the same CallSid
    second = await telephony.voice(params)

    # then
    assert second.status_code == 200
    assert second.text == first.text
    assert await Call.filter(twilio_call_sid=params["CallSid"]).count() == 1
    assert telephony.livekit.methods() == ["CreateRoom"]
    call = await call_by_sid(params["CallSid"])
    assert call is not None
    assert await event_types(call.id) == ["call.status_changed"]


async def test_the_signature_is_checked_against_the_public_url_whatever_host_it_arrives_on(
    make, telephony
):
    # given: a proxy forwards Twilio's request to an internal address
    _, agent = await _tenant_with_agent(make)
    params = voice_params(agent.phone_number.e164)

    # when: signed for the public URL, received on http://api.internal:8000
    response = await telephony.http.post(
        "http://api.internal:8000/webhooks/twilio/voice",
        data=params,
        headers={
            "X-Twilio-Signature": RequestValidator(TWILIO_AUTH_TOKEN).compute_signature(
                PUBLIC_BASE_URL + VOICE_PATH, params
            )
        },
    )

    # then
    assert TwiML.parse(response).verbs == ["Dial"]
    assert await call_by_sid(params["CallSid"]) is not None


async def test_the_same_webhook_delivered_twice_at_once_makes_one_call_and_one_room(
    make, telephony
):
    # given
    _, agent = await _tenant_with_agent(make)
    params = voice_params(agent.phone_number.e164)

    # when: Twilio's retry races the first delivery
    responses = await asyncio.gather(*(telephony.voice(params) for _ in range(3)))

    # then: every delivery is answered by bridging the same room; one call, one room
    assert await Call.filter(twilio_call_sid=params["CallSid"]).count() == 1
    call = await call_by_sid(params["CallSid"])
    assert call is not None
    for response in responses:
        twiml = TwiML.parse(response)
        sip = twiml.root.find("Dial/Sip")
        assert sip is not None, response.text
        assert sip.text == f"sip:call-{call.id.hex}@{SIP_HOST};transport=tcp"
    assert telephony.livekit.methods() == ["CreateRoom"]
    assert await event_types(call.id) == ["call.status_changed"]
