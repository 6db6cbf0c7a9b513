"""POST /webhooks/twilio/dial-status: how the `<Dial>` into a call's room ended.

The inbound `<Dial>` (webhooks/twilio.py) names this route as its `action`. Twilio
requests it when the dialled SIP leg ends, with `DialCallStatus`, and continues the
caller's call with the TwiML it gets back (https://www.twilio.com/docs/voice/twiml/dial#action):

- `no-answer`, `busy`, `failed`: nobody took the call. LiveKit SIP keeps the call ringing
  until another participant publishes audio in the room
  (https://docs.livekit.io/telephony/accepting-calls/workflow-setup/), so with no worker
  the `<Dial timeout>` runs out; or LiveKit's SIP endpoint refused or could not be
  reached. The caller hears a short apology and Twilio hangs up, rather than thirty
  seconds of ringing and then silence; the call ends `failed` with `bridge_no_answer`,
  `bridge_busy` or `bridge_failed`.
- `completed`, `answered`, `canceled`: the bridge was answered (the conversation is over)
  or the caller gave up; the answer is empty and Twilio ends the call. The record's end
  comes from LiveKit, the worker and Twilio's status callback.
- `completed` after a transfer: once the person answers, Twilio drops the agent's SIP leg
  and the caller's call runs the TwiML our referUrl returned (webhooks/twilio_refer.py).
  Twilio requests this action then, and does not run the answer: its call has moved on to
  new TwiML (https://www.twilio.com/docs/voice/twiml/changelog, Dial 2021-05-13). So the
  answer stays empty (nothing to say or fetch) and the record is left alone: no apology
  reaches the caller, and nothing hangs up the transferred call.

Signed and bounded like every Twilio webhook (webhooks/twilio.py).
"""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from twilio.twiml.voice_response import VoiceResponse

from core import tenancy
from core.call_snapshot import CallSnapshot
from core.events import EventBus
from core.integrations.livekit_rooms import RoomService
from core.services import calls
from core.settings import Settings
from webhooks.twilio import Handler, _twiml, _verified_form

log = logging.getLogger(__name__)

# Twilio's DialCallStatus values (https://www.twilio.com/docs/voice/twiml/dial#action).
DIAL_STATUSES = frozenset({"completed", "answered", "busy", "no-answer", "failed", "canceled"})

# The apology by the agent's language, in languages Twilio's default <Say> voice speaks
# (https://www.twilio.com/docs/voice/twiml/say: a voice and a language that do not go
# together fail the verb); other agents' callers hear English.
APOLOGIES = {
    "en": (
        "en-US",
        "Sorry, nobody can take your call right now. Please try again in a few minutes.",
    ),
    "de": (
        "de-DE",
        "Entschuldigung, im Moment kann niemand Ihren Anruf entgegennehmen. Bitte versuchen "
        "Sie es in ein paar Minuten noch einmal.",
    ),
    "fr": (
        "fr-FR",
        "Désolé, personne ne peut prendre votre appel pour le moment. Veuillez réessayer "
        "dans quelques minutes.",
    ),
    "es": (
        "es-ES",
        "Lo sentimos, ahora mismo nadie puede atender su llamada. Por favor, inténtelo de "
        "nuevo en unos minutos.",
    ),
}


def dial_status_webhook(settings: Settings, rooms: RoomService, bus: EventBus) -> Handler:
    async def dial_status(request: Request) -> Response:
        params = await _verified_form(request, settings)
        if params is None:
            return PlainTextResponse("Invalid signature.", status_code=403)
        call_sid, dial_status = params.get("CallSid"), params.get("DialCallStatus", "")
        if not call_sid or dial_status not in DIAL_STATUSES:
            return PlainTextResponse(
                "CallSid and a known DialCallStatus are required.", status_code=400
            )
        if dial_status not in calls.BRIDGE_FAILURES:
            return _twiml(VoiceResponse())  # nothing more to say: Twilio ends the call
        with tenancy.scoped(await tenancy.scope_of_twilio_call(call_sid[:64])):
            call = await calls.bridge_unanswered(
                twilio_call_sid=call_sid[:64], dial_status=dial_status, rooms=rooms, bus=bus
            )
        if call is None:
            return _twiml(VoiceResponse())  # not one of ours
        log.warning(
            "no worker took the call",
            extra={
                "call_id": str(call.id),
                "dial_status": dial_status,
                "sip_status": params.get("DialSipResponseCode", "")[:8],
            },
        )
        return _twiml(_apology(settings, CallSnapshot.from_stored(call.snapshot).language))

    return dial_status


def _apology(settings: Settings, language: str) -> VoiceResponse:
    response = VoiceResponse()
    if settings.worker_unavailable_message:
        # The operator's own words: in whatever language they wrote them, so no `language`.
        response.say(settings.worker_unavailable_message, voice=settings.worker_unavailable_voice)
    else:
        locale, text = APOLOGIES.get(language.split("-")[0].lower(), APOLOGIES["en"])
        response.say(text, voice=settings.worker_unavailable_voice, language=locale)
    response.hangup()
    return response
