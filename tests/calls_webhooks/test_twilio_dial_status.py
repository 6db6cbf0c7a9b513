"""POST /webhooks/twilio/dial-status: when no worker answers, the caller hears an apology.

The inbound `<Dial>` that bridges a caller into the call's LiveKit room carries an `action`
URL (https://www.twilio.com/docs/voice/twiml/dial#action). Twilio requests it when the
dialled SIP leg ends, with `DialCallStatus`: `no-answer`, `busy` or `failed` mean nobody
took the call, and the caller hears a short apology in the agent's language instead of
thirty seconds of ringing and then silence; the call ends `failed` with the reason. After a
conversation (`completed`) the answer is empty and the call simply ends. The flow runs
through the fake Twilio of tests/fakes/twilio_voice.py.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

import pytest

from core.call_events import CallStatus
from orm.models import Call
from tests.fakes.twilio_voice import SipEnd, TwilioVoice
from tests.support.calls import incoming_call, phone_agent, record_end
from tests.support.telephony import (
    PUBLIC_BASE_URL,
    TWILIO_AUTH_TOKEN,
    Telephony,
    TwiML,
    event_types,
    telephony_app,
    voice_params,
)

DIAL_STATUS_PATH = "/webhooks/twilio/dial-status"
VOICE_PATH = "/webhooks/twilio/voice"
STATUS_PATH = "/webhooks/twilio/status"
ENGLISH_APOLOGY = "Sorry, nobody can take your call right now. Please try again in a few minutes."


def _twilio(telephony: Telephony) -> TwilioVoice:
    return TwilioVoice(
        auth_token=TWILIO_AUTH_TOKEN,
        app=telephony.http,
        public_base_url=PUBLIC_BASE_URL,
        time_scale=0.001,
    )


async def _agent_number(make, **agent_fields) -> str:
    return (await phone_agent(make, "Dial Co", **agent_fields)).phone_number.e164


async def test_the_bridge_asks_twilio_to_report_how_the_dial_ended(make, telephony):
    # given
    number = await _agent_number(make, max_call_duration_seconds=600)

    # when
    response = await telephony.voice(voice_params(number))

    # then: Twilio reports the end of the dial to our signed route, and never lets the
    # bridged leg outlive the agent's time limit (plus the room's margin)
    dial = TwiML.parse(response).root.find("Dial")
    assert dial is not None
    assert dial.get("action") == PUBLIC_BASE_URL + DIAL_STATUS_PATH
    assert dial.get("method") == "POST"
    assert dial.get("timeLimit") == str(600 + 120)


@pytest.mark.parametrize(
    ("sip", "dial_status", "reason"),
    [
        (SipEnd.NO_ANSWER, "no-answer", "bridge_no_answer"),
        (SipEnd.BUSY, "busy", "bridge_busy"),
        (SipEnd.FAILED, "failed", "bridge_failed"),
    ],
)
async def test_nobody_answering_the_bridge_gets_an_apology_and_a_failed_call(
    make, telephony, sip, dial_status, reason
):
    # given
    number = await _agent_number(make)

    # when: Twilio dials the room, and no worker takes the call
    run = await _twilio(telephony).incoming(to=number, from_="+14155550100", sip=sip)

    # then: the caller heard the apology and Twilio hung up
    assert run.dial_statuses == [dial_status]
    assert run.paths() == [VOICE_PATH, DIAL_STATUS_PATH, STATUS_PATH]
    assert [request.status for request in run.requests] == [200, 200, 204]
    assert run.heard == [ENGLISH_APOLOGY]
    assert run.hung_up_by_twiml
    # and the call ended failed, with why, and its room is gone
    call = await Call.get(twilio_call_sid=run.call_sid)
    assert (call.status, call.ended_reason) == ("failed", reason)
    assert (await event_types(call.id)).count("call.ended") == 1
    # Twilio's own duration of the caller's leg (ringing, the apology) is no call time
    assert call.answered_at is None and call.duration_seconds == 0
    assert [r.message.room for r in telephony.livekit.requests_for("DeleteRoom")] == [  # type: ignore[union-attr]
        call.livekit_room
    ]


async def test_a_conversation_that_ended_gets_an_empty_answer(make, telephony):
    # given
    number = await _agent_number(make)

    # when: the worker answered, the conversation took place, LiveKit hung up the leg
    run = await _twilio(telephony).incoming(
        to=number, from_="+14155550100", sip=SipEnd.ANSWER, talk_seconds=42
    )

    # then: nothing more is said; Twilio ends the call, and its status callback says so
    assert run.dial_statuses == ["completed"]
    assert run.requests[1].path == DIAL_STATUS_PATH
    assert run.requests[1].status == 200
    answer = ElementTree.fromstring(run.requests[1].body)
    assert (answer.tag, list(answer)) == ("Response", [])
    assert run.heard == []
    call = await Call.get(twilio_call_sid=run.call_sid)
    assert (call.status, call.ended_reason, call.duration_seconds) == (
        "completed",
        "twilio_completed",
        42,
    )
    assert telephony.livekit.requests_for("DeleteRoom") == []


@pytest.mark.parametrize(
    ("language", "apology"),
    [
        ("de-DE", "Entschuldigung, im Moment kann niemand Ihren Anruf entgegennehmen."),
        ("fr-FR", "Désolé, personne ne peut prendre votre appel pour le moment."),
        ("es-ES", "Lo sentimos, ahora mismo nadie puede atender su llamada."),
    ],
)
async def test_the_apology_is_in_the_agents_language(make, telephony, language, apology):
    # given
    number = await _agent_number(make, language=language)

    # when
    run = await _twilio(telephony).incoming(to=number, from_="+4930123456", sip=SipEnd.NO_ANSWER)

    # then
    assert run.heard[0].startswith(apology)
    assert run.said_languages == [language]


async def test_a_language_without_a_built_in_apology_falls_back_to_english(make, telephony):
    # given
    number = await _agent_number(make, language="ja-JP")

    # when
    run = await _twilio(telephony).incoming(to=number, from_="+81312345678", sip=SipEnd.BUSY)

    # then
    assert run.heard == [ENGLISH_APOLOGY]
    assert run.said_languages == ["en-US"]


async def test_the_apology_and_its_voice_are_settings(make, server, livekit):
    async with telephony_app(
        server.settings,
        livekit,
        worker_unavailable_message="We are closed for maintenance. Goodbye.",
        worker_unavailable_voice="Polly.Joanna",
    ) as telephony:
        # given
        number = await _agent_number(make, language="de-DE")

        # when
        run = await _twilio(telephony).incoming(to=number, from_="+1415", sip=SipEnd.FAILED)

        # then: the operator's own words, in the operator's voice
        assert run.heard == ["We are closed for maintenance. Goodbye."]
        assert run.said_voices == ["Polly.Joanna"]
        assert run.said_languages == [None]


async def test_a_dial_status_for_a_call_that_already_ended_keeps_its_ending(make, telephony):
    # given: a call whose job failed, and said why, before the caller was connected
    call = await incoming_call(make, telephony, "Dial Co")
    await record_end(call, CallStatus.FAILED, "worker_error:RuntimeError")

    # when: the dial's end arrives afterwards
    response = await telephony.twilio(
        DIAL_STATUS_PATH,
        {
            "AccountSid": "AC" + "0" * 32,
            "CallSid": call.twilio_call_sid or "",
            "CallStatus": "in-progress",
            "DialCallStatus": "no-answer",
        },
    )

    # then: the caller still hears the apology; the record keeps the first failure's reason
    assert TwiML.parse(response).verbs == ["Say", "Hangup"]
    ended = await Call.get(id=call.id)
    assert (ended.status, ended.ended_reason) == ("failed", "worker_error:RuntimeError")


async def test_an_unknown_call_gets_an_empty_answer(telephony):
    # when
    response = await telephony.twilio(
        DIAL_STATUS_PATH,
        {"AccountSid": "AC" + "0" * 32, "CallSid": "CA" + "f" * 32, "DialCallStatus": "busy"},
    )

    # then: not one of ours; Twilio just ends it
    assert TwiML.parse(response).verbs == []


@pytest.mark.parametrize(
    "params",
    [
        {"AccountSid": "AC" + "0" * 32, "DialCallStatus": "busy"},
        {"AccountSid": "AC" + "0" * 32, "CallSid": "CA" + "1" * 32},
        {"AccountSid": "AC" + "0" * 32, "CallSid": "CA" + "1" * 32, "DialCallStatus": "exploded"},
    ],
)
async def test_a_malformed_dial_status_is_a_bad_request(telephony, params):
    # when
    response = await telephony.twilio(DIAL_STATUS_PATH, params)

    # then
    assert response.status_code == 400


@pytest.mark.parametrize("forgery", ["unsigned", "other_token", "tampered", "other_url"])
async def test_a_forged_dial_status_is_refused_and_changes_nothing(make, telephony, forgery):
    # given
    call = await incoming_call(make, telephony, "Dial Co")
    params = {
        "AccountSid": "AC" + "0" * 32,
        "CallSid": call.twilio_call_sid or "",
        "DialCallStatus": "no-answer",
    }
    options = {
        "unsigned": {"sign": False},
        "other_token": {"auth_token": "not-our-twilio-auth-token"},
        "tampered": {"sent_params": {**params, "DialCallStatus": "busy"}},
        "other_url": {"signed_url": PUBLIC_BASE_URL + STATUS_PATH},
    }[forgery]

    # when
    response = await telephony.twilio(DIAL_STATUS_PATH, params, **options)

    # then
    assert response.status_code == 403
    assert (await Call.get(id=call.id)).status == "ringing"
    assert telephony.livekit.requests_for("DeleteRoom") == []


async def test_a_dial_status_body_over_the_limit_is_refused(telephony):
    # when
    response = await telephony.http.post(
        DIAL_STATUS_PATH,
        content=b"DialCallStatus=busy&Pad=" + b"x" * (64 * 1024),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )

    # then
    assert response.status_code == 413
