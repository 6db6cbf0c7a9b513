"""Twilio's referUrl: what to do with a SIP REFER on an incoming call's LiveKit leg.

Our `<Dial><Sip>` names this URL (`referUrl`, with the call's id) so that a cold transfer
can work at all: Twilio refuses a REFER on a `<Dial>` without one (error 13802). When the
agent transfers, LiveKit sends the REFER, Twilio POSTs it here (the voice webhook's
parameters plus `ReferTransferTarget`, the Refer-To header) and runs the TwiML we answer on
the caller's call: a `<Dial>` to the agent's own transfer target. With `answerOnBridge` on
the first `<Dial>`, the caller stays with the agent until the person answers, and comes
back to the agent when they do not, or when this URL answers anything but TwiML
(https://www.twilio.com/docs/voice/api/refer-to-twilio,
https://www.twilio.com/docs/voice/twiml/dial#referurl).

Verified like every Twilio webhook (the signature over the exact public URL, the call's id
included) before anything else; a forged request gets 403, a REFER for no call of ours 404,
one the agent did not start or for a call that is over 409, one to another target 403.
"""

from __future__ import annotations

import logging
import uuid

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from twilio.twiml.voice_response import Dial, VoiceResponse

from core import tenancy
from core.services import transfers
from core.services.transfers import ReferRefusal
from core.settings import Settings
from webhooks.twilio import Handler, _verified_form

log = logging.getLogger(__name__)

_REFUSALS = {
    ReferRefusal.UNKNOWN_CALL: (404, "No such call."),
    ReferRefusal.NOT_TRANSFERRING: (409, "This call is not being transferred."),
    ReferRefusal.TARGET_NOT_ALLOWED: (403, "That transfer target is not allowed."),
}


def refer_webhook(settings: Settings) -> Handler:
    async def refer(request: Request) -> Response:
        params = await _verified_form(request, settings)
        if params is None:
            return PlainTextResponse("Invalid signature.", status_code=403)
        target = params.get("ReferTransferTarget", "").strip()
        if not target:
            return PlainTextResponse("ReferTransferTarget is required.", status_code=400)
        try:
            call_id = uuid.UUID(request.query_params.get("call", ""))
        except ValueError:
            return PlainTextResponse("No such call.", status_code=404)
        with tenancy.scoped(await tenancy.scope_of_call(call_id)):
            decision = await transfers.decide_refer(
                call_id=call_id, refer_to=target[:300], region=settings.default_phone_region
            )
        if decision.transfer_to is None:
            refusal = decision.refusal or ReferRefusal.UNKNOWN_CALL
            log.warning("REFER refused", extra={"call_id": str(call_id), "refusal": refusal.value})
            status, message = _REFUSALS[refusal]
            return PlainTextResponse(message, status_code=status)
        return Response(str(_dial(decision, settings)), media_type="application/xml")

    return refer


def _dial(decision: transfers.ReferDecision, settings: Settings) -> VoiceResponse:
    assert decision.transfer_to is not None
    response = VoiceResponse()
    # Twilio rings the person for at most this long (whole seconds, at least one), and shows
    # them the caller's number: a `From` of Twilio's own request is an allowed callerId
    # (https://www.twilio.com/docs/voice/twiml/dial#callerid).
    dial = Dial(
        timeout=max(1, round(settings.transfer_ringing_timeout_seconds)),
        caller_id=decision.caller_id,
    )
    if decision.transfer_to.startswith("sip:"):
        dial.sip(decision.transfer_to)
    else:
        dial.number(decision.transfer_to)
    response.append(dial)
    return response
