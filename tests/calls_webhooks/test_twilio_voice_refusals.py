"""POST /webhooks/twilio/voice: forged requests are refused; calls we cannot take are
refused politely, with a record that says why; nothing is left half-made."""

from __future__ import annotations

import pytest

from orm.models import Call, Organization
from tests.support.factories import unique_phone_number
from tests.support.telephony import TwiML, call_by_sid, event_types, voice_params

APOLOGY = "Sorry, we cannot connect your call right now."


async def _tenant_with_agent(make, name: str = "Calls Co", **agent_fields):
    tenant = await make.tenant(name)
    return tenant, await make.agent(tenant, phone_number=True, **agent_fields)


async def _assert_nothing_created(telephony, call_sid: str) -> None:
    assert await Call.filter(twilio_call_sid=call_sid).count() == 0
    assert telephony.livekit.requests == []


# --- forged requests -----------------------------------------------------------------------


async def test_an_unsigned_request_is_refused(make, telephony):
    # given
    _, agent = await _tenant_with_agent(make)
    params = voice_params(agent.phone_number.e164)

    # when
    response = await telephony.voice(params, sign=False)

    # then
    assert response.status_code == 403
    await _assert_nothing_created(telephony, params["CallSid"])


@pytest.mark.parametrize(
    "signed_url",
    [
        "http://voice.example.test/webhooks/twilio/voice",  # http instead of https
        "https://other.example.test/webhooks/twilio/voice",  # another host
        "https://voice.example.test/webhooks/twilio/status",  # another path
        "https://voice.example.test/webhooks/twilio/voice?tenant=1",  # another query
    ],
)
async def test_a_signature_computed_for_another_url_is_refused(make, telephony, signed_url):
    # given
    _, agent = await _tenant_with_agent(make)
    params = voice_params(agent.phone_number.e164)

    # when
    response = await telephony.voice(params, signed_url=signed_url)

    # then
    assert response.status_code == 403
    await _assert_nothing_created(telephony, params["CallSid"])


async def test_a_signature_made_with_another_auth_token_is_refused(make, telephony):
    # given
    _, agent = await _tenant_with_agent(make)
    params = voice_params(agent.phone_number.e164)

    # when
    response = await telephony.voice(params, auth_token="someone-elses-twilio-auth-token")

    # then
    assert response.status_code == 403
    await _assert_nothing_created(telephony, params["CallSid"])


async def test_tampered_parameters_are_refused(make, telephony):
    # given: a genuine signature for a call to one number, replayed for another agent's number
    _, agent = await _tenant_with_agent(make)
    _, victims_agent = await _tenant_with_agent(make, "Victim")
    params = voice_params(agent.phone_number.e164)
    tampered = {
        **params,
        "To": victims_agent.phone_number.e164,
        "Called": victims_agent.phone_number.e164,
    }

    # when
    response = await telephony.voice(params, sent_params=tampered)

    # then
    assert response.status_code == 403
    await _assert_nothing_created(telephony, params["CallSid"])


async def test_an_extra_parameter_breaks_the_signature(make, telephony):
    # given
    _, agent = await _tenant_with_agent(make)
    params = voice_params(agent.phone_number.e164)

    # when
    response = await telephony.voice(params, sent_params={**params, "Extra": "1"})

    # then
    assert response.status_code == 403
    await _assert_nothing_created(telephony, params["CallSid"])


@pytest.mark.parametrize("missing", ["CallSid", "To"])
async def test_a_signed_request_without_call_sid_or_to_is_a_bad_request(make, telephony, missing):
    # given
    _, agent = await _tenant_with_agent(make)
    params = voice_params(agent.phone_number.e164)
    call_sid = params["CallSid"]
    del params[missing]

    # when
    response = await telephony.voice(params)

    # then
    assert response.status_code == 400
    await _assert_nothing_created(telephony, call_sid)


# --- calls we cannot take ------------------------------------------------------------------


async def test_an_unknown_number_hears_a_polite_refusal_and_the_call_is_recorded(telephony):
    # given
    number = unique_phone_number()
    params = voice_params(number)

    # when
    response = await telephony.voice(params)

    # then
    twiml = TwiML.parse(response)
    assert twiml.verbs == ["Say", "Hangup"]
    assert twiml.said == telephony.settings.unavailable_message
    call = await call_by_sid(params["CallSid"])
    assert call is not None
    assert call.status == "failed"
    assert call.ended_reason == "unknown_number"
    assert call.organization_id is None  # type: ignore[attr-defined]
    assert call.agent_id is None  # type: ignore[attr-defined]
    assert call.to_number == number
    assert call.livekit_room is None
    assert call.snapshot == {}
    assert await event_types(call.id) == ["call.status_changed", "call.ended"]
    assert telephony.livekit.requests == []


async def test_a_retried_refusal_answers_the_same_and_records_once(telephony):
    # given
    params = voice_params(unique_phone_number())
    first = await telephony.voice(params)

    # when
    second = await telephony.voice(params)

    # then
    assert second.status_code == 200
    assert second.text == first.text
    assert await Call.filter(twilio_call_sid=params["CallSid"]).count() == 1


async def test_an_inactive_agent_refuses_the_call(make, telephony):
    # given
    tenant, agent = await _tenant_with_agent(make, is_active=False)
    params = voice_params(agent.phone_number.e164)

    # when
    response = await telephony.voice(params)

    # then
    assert TwiML.parse(response).verbs == ["Say", "Hangup"]
    call = await call_by_sid(params["CallSid"])
    assert call is not None
    assert (call.status, call.ended_reason) == ("failed", "agent_inactive")
    assert call.organization_id == tenant.organization_uuid  # type: ignore[attr-defined]
    assert call.livekit_room is None
    assert telephony.livekit.requests == []


async def test_an_inactive_organization_refuses_the_call(make, telephony):
    # given
    tenant, agent = await _tenant_with_agent(make)
    await Organization.filter(id=tenant.organization_uuid).update(is_active=False)
    params = voice_params(agent.phone_number.e164)

    # when
    response = await telephony.voice(params)

    # then
    assert TwiML.parse(response).verbs == ["Say", "Hangup"]
    call = await call_by_sid(params["CallSid"])
    assert call is not None
    assert (call.status, call.ended_reason) == ("failed", "organization_inactive")
    assert call.organization_id == tenant.organization_uuid  # type: ignore[attr-defined]
    assert call.livekit_room is None
    assert telephony.livekit.requests == []


async def _assert_apology_and_failed_call(telephony, response, call_sid: str) -> None:
    twiml = TwiML.parse(response)
    assert twiml.verbs == ["Say", "Hangup"], response.text
    assert twiml.said.startswith(APOLOGY), twiml.said
    call = await call_by_sid(call_sid)
    assert call is not None
    assert (call.status, call.ended_reason) == ("failed", "livekit_unavailable")
    assert call.livekit_room is None
    assert call.ended_at is not None
    assert await event_types(call.id) == [
        "call.status_changed",
        "call.status_changed",
        "call.ended",
    ]


async def test_livekit_failing_gives_an_apology_and_a_failed_call(make, telephony):
    # given
    _, agent = await _tenant_with_agent(make)
    params = voice_params(agent.phone_number.e164)
    telephony.livekit.fail_next("CreateRoom", status=503)

    # when
    response = await telephony.voice(params)

    # then
    await _assert_apology_and_failed_call(telephony, response, params["CallSid"])
    assert [
        r.status for r in telephony.livekit.requests_for("CreateRoom", accepted_only=False)
    ] == [503]
    assert telephony.livekit.rooms == {}


async def test_livekit_unreachable_gives_an_apology_and_a_failed_call(make, telephony):
    # given
    _, agent = await _tenant_with_agent(make)
    params = voice_params(agent.phone_number.e164)
    await telephony.livekit.stop()
    try:
        # when
        response = await telephony.voice(params)
    finally:
        await telephony.livekit.start()

    # then
    await _assert_apology_and_failed_call(telephony, response, params["CallSid"])


async def test_a_retry_after_livekit_failed_does_not_open_a_room_for_the_failed_call(
    make, telephony
):
    # given: the first delivery failed to reach LiveKit
    _, agent = await _tenant_with_agent(make)
    params = voice_params(agent.phone_number.e164)
    telephony.livekit.fail_next("CreateRoom", status=503)
    first = await telephony.voice(params)

    # when: Twilio retries after LiveKit is back
    second = await telephony.voice(params)

    # then: the same refusal; still one failed call and no room
    assert second.text == first.text
    assert TwiML.parse(second).verbs == ["Say", "Hangup"]
    assert await Call.filter(twilio_call_sid=params["CallSid"]).count() == 1
    assert telephony.livekit.requests_for("CreateRoom") == []
