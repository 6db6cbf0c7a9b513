"""Twilio webhooks: an incoming call (answer with TwiML), and call status callbacks.

Each request is verified with Twilio's RequestValidator against the public URL
(PUBLIC_BASE_URL + path + query: what Twilio signed, whatever proxy is in
between) before anything else; a bad signature gets 403 and changes nothing.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from twilio.request_validator import RequestValidator
from twilio.twiml.voice_response import Dial, VoiceResponse

from core import tenancy
from core.call_events import CallStatus, StatusSource
from core.call_snapshot import CallSnapshot
from core.events import EventBus
from core.integrations.livekit_rooms import RoomService
from core.services import calls
from core.settings import Settings

log = logging.getLogger(__name__)

# Twilio's CallStatus values, in our vocabulary (queued/initiated/ringing are all "ringing").
_TWILIO_STATUS = {
    "queued": CallStatus.RINGING,
    "initiated": CallStatus.RINGING,
    "ringing": CallStatus.RINGING,
    "in-progress": CallStatus.IN_PROGRESS,
    "answered": CallStatus.IN_PROGRESS,
    "completed": CallStatus.COMPLETED,
    "busy": CallStatus.BUSY,
    "failed": CallStatus.FAILED,
    "no-answer": CallStatus.NO_ANSWER,
    "canceled": CallStatus.CANCELED,
}
# The most this endpoint reads; the app enforces it while the body streams in.
MAX_BODY_BYTES = 64 * 1024
REFER_PATH = "/webhooks/twilio/refer"
DIAL_STATUS_PATH = "/webhooks/twilio/dial-status"
Handler = Callable[[Request], Awaitable[Response]]


def _twiml(response: VoiceResponse) -> Response:
    return Response(str(response), media_type="application/xml")


def _refuse(message: str) -> Response:
    response = VoiceResponse()
    response.say(message)
    response.hangup()
    return _twiml(response)


async def _verified_form(request: Request, settings: Settings) -> dict[str, str] | None:
    """The form fields of a genuine Twilio request, or None."""
    if settings.twilio_auth_token is None:
        log.error("Twilio webhook called but TWILIO_AUTH_TOKEN is not set")
        return None
    body = await request.body()
    # Twilio posts application/x-www-form-urlencoded; parsed here because Starlette's
    # request.form() needs python-multipart, which is not a dependency.
    try:
        params = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    except UnicodeDecodeError:
        return None
    url = settings.public_base_url.rstrip("/") + request.url.path
    if request.url.query:
        url += "?" + request.url.query
    validator = RequestValidator(settings.twilio_auth_token.get_secret_value())
    signature = request.headers.get("x-twilio-signature", "")
    if not signature or not validator.validate(url, params, signature):
        return None
    return params


def voice_webhook(settings: Settings, rooms: RoomService, bus: EventBus) -> Handler:
    async def voice(request: Request) -> Response:
        params = await _verified_form(request, settings)
        if params is None:
            return PlainTextResponse("Invalid signature.", status_code=403)
        call_sid, to_number = params.get("CallSid"), params.get("To")
        if not call_sid or not to_number:
            return PlainTextResponse("CallSid and To are required.", status_code=400)
        decision = await calls.start_inbound(
            twilio_call_sid=call_sid[:64],
            from_number=params.get("From", "unknown"),
            to_number=to_number,
            rooms=rooms,
            settings=settings,
            bus=bus,
        )
        if decision.room is None:
            if decision.call.ended_reason == "livekit_unavailable":
                return _refuse(
                    "Sorry, we cannot connect your call right now. Please try again "
                    "in a few minutes. Goodbye."
                )
            return _refuse(settings.unavailable_message)
        if not settings.livekit_sip_host:
            log.error("LIVEKIT_SIP_HOST is not set; cannot bridge the call")
            await calls.apply_status(
                call_id=decision.call.id,
                status=CallStatus.FAILED,
                source=StatusSource.PLATFORM,
                reason="sip_not_configured",
                bus=bus,
            )
            return _refuse("Sorry, we cannot connect your call right now. Goodbye.")
        time_limit = calls.hard_limit_seconds(CallSnapshot.from_stored(decision.call.snapshot))
        return _twiml(
            _dial_room(
                decision.room, params, settings, call_id=decision.call.id, time_limit=time_limit
            )
        )

    return voice


def refer_url(settings: Settings, call_id: uuid.UUID) -> str:
    """The referUrl of a call's `<Dial>` (webhooks/twilio_refer.py): without one Twilio
    refuses the REFER of a transfer (error 13802). Twilio signs it, call id included."""
    return f"{settings.public_base_url.rstrip('/')}{REFER_PATH}?call={call_id}"


def dial_action_url(settings: Settings) -> str:
    """The `action` of the inbound `<Dial>`: Twilio requests it (signed) when the bridge into
    the call's room ends (https://www.twilio.com/docs/voice/twiml/dial#action)."""
    return settings.public_base_url.rstrip("/") + DIAL_STATUS_PATH


def _dial_room(
    room: str,
    params: dict[str, str],
    settings: Settings,
    *,
    call_id: uuid.UUID,
    time_limit: int,
) -> VoiceResponse:
    response = VoiceResponse()
    # answerOnBridge: the caller hears ringing until the agent's room answers, and during
    # a transfer stays with the agent until the person answers.
    dial = Dial(
        answer_on_bridge=True,
        timeout=30,
        caller_id=params.get("From"),
        refer_url=refer_url(settings, call_id),
        refer_method="POST",
        # How the bridge ended (nobody answered: an apology instead of silence), and the
        # most it may last, whatever the worker does (webhooks/twilio_dial_status.py).
        action=dial_action_url(settings),
        method="POST",
        time_limit=time_limit,
    )
    password = (
        settings.livekit_sip_password.get_secret_value() if settings.livekit_sip_password else None
    )
    dial.sip(
        f"sip:{room}@{settings.livekit_sip_host};transport=tcp",
        username=settings.livekit_sip_username,
        password=password,
    )
    response.append(dial)
    return response


def status_webhook(settings: Settings, bus: EventBus) -> Handler:
    async def status(request: Request) -> Response:
        params = await _verified_form(request, settings)
        if params is None:
            return PlainTextResponse("Invalid signature.", status_code=403)
        mapped = _TWILIO_STATUS.get(params.get("CallStatus", ""))
        call_sid = params.get("CallSid")
        if mapped is None or not call_sid:
            return PlainTextResponse("Unknown CallStatus or missing CallSid.", status_code=400)
        with tenancy.scoped(await tenancy.scope_of_twilio_call(call_sid[:64])):
            call = await calls.Call.get_or_none(twilio_call_sid=call_sid[:64])
            if call is None:
                return Response(status_code=204)  # not one of ours: nothing to do or retry
            duration = params.get("CallDuration")
            await calls.apply_status(
                call_id=call.id,
                status=mapped,
                source=StatusSource.TWILIO,
                bus=bus,
                reason="twilio_" + params["CallStatus"].replace("-", "_"),
                duration_seconds=int(duration) if duration and duration.isdigit() else None,
            )
        return Response(status_code=204)

    return status
