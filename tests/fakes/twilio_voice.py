"""Twilio Programmable Voice running an incoming call's TwiML, as its documentation says.

    twilio = TwilioVoice(auth_token=..., app=telephony.http, public_base_url=...)
    run = await twilio.incoming(to=number, from_=caller, sip=SipEnd.NO_ANSWER)
    run.heard          # what the caller heard (<Say> texts), in order
    run.requests       # every webhook Twilio sent (path, params, answer)

Twilio POSTs the number's voice URL (https://www.twilio.com/docs/voice/twiml#twilios-request-
to-your-application), signed with X-Twilio-Signature over the URL and the sorted form
(https://www.twilio.com/docs/usage/webhooks/webhooks-security), and runs the verbs of the
answer in order:

- `<Say>`: the caller hears the text (https://www.twilio.com/docs/voice/twiml/say).
- `<Hangup/>`: the call ends (https://www.twilio.com/docs/voice/twiml/hangup).
- `<Dial>` (https://www.twilio.com/docs/voice/twiml/dial): Twilio calls the `<Sip>` URI and
  waits up to `timeout` seconds (default 30) for an answer. Whatever happens, the dialled
  call ends with a `DialCallStatus`: `completed` (answered and talked, then hung up),
  `busy` (a busy signal: SIP 486/600), `no-answer` (nobody answered within the timeout:
  Twilio cancels the INVITE), or `failed` (the URI could not be reached, or a SIP failure
  other than busy). With an `action` URL (#action), Twilio then requests it with the
  standard parameters plus `DialCallStatus`, `DialCallSid`, `DialCallDuration`,
  `DialBridged` and, for a `<Sip>` dial, `DialSipResponseCode` (#attributes-action-
  parameters, /docs/voice/twiml/sip), and continues the call with the TwiML it gets; verbs
  after such a `<Dial>` are never reached. Without `action`, Twilio goes on with the next
  verb, and with none left it hangs up.
- At the end of the call Twilio sends the status callback `completed` with `CallDuration`
  (https://www.twilio.com/docs/voice/api/call-resource#statuscallback).

The LiveKit SIP endpoint on the other side of the `<Sip>` is scripted per call (`SipEnd`):
it answers and the conversation lasts `talk_seconds`, or never answers (LiveKit SIP rings
until another participant publishes audio in the room, so with no worker it rings until
Twilio gives up: https://docs.livekit.io/telephony/accepting-calls/workflow-setup/), or is
busy, or fails. Waits (ringing until the timeout, talking) are multiplied by `time_scale`, so a
test runs a 30 s timeout in 30 ms.
"""

from __future__ import annotations

import asyncio
import enum
import secrets
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx
from twilio.request_validator import RequestValidator

ACCOUNT_SID = "AC" + "0" * 32
DIAL_TIMEOUT_SECONDS = 30.0  # the <Dial> timeout's default


class SipEnd(enum.Enum):
    """What the SIP endpoint Twilio dials does (the LiveKit side of the bridge)."""

    ANSWER = "answer"  # 200 OK, talks for talk_seconds, then hangs up: completed
    NO_ANSWER = "no_answer"  # rings until Twilio gives up: no-answer (487 after CANCEL)
    BUSY = "busy"  # 486 Busy Here: busy
    FAILED = "failed"  # 503 Service Unavailable: failed


_DIAL_OUTCOME = {
    SipEnd.ANSWER: ("completed", 200),
    SipEnd.NO_ANSWER: ("no-answer", 487),
    SipEnd.BUSY: ("busy", 486),
    SipEnd.FAILED: ("failed", 503),
}


@dataclass
class WebhookRequest:
    path: str
    params: dict[str, str]
    status: int
    body: str


@dataclass
class CallRun:
    """One incoming call as Twilio ran it."""

    call_sid: str
    heard: list[str] = field(default_factory=list)
    said_languages: list[str | None] = field(default_factory=list)
    said_voices: list[str | None] = field(default_factory=list)
    dialled: list[str] = field(default_factory=list)
    dial_statuses: list[str] = field(default_factory=list)
    requests: list[WebhookRequest] = field(default_factory=list)
    hung_up_by_twiml: bool = False
    seconds: float = 0.0

    def paths(self) -> list[str]:
        return [request.path for request in self.requests]


class TwilioVoice:
    def __init__(
        self,
        *,
        auth_token: str,
        app: httpx.AsyncClient,
        public_base_url: str,
        voice_path: str = "/webhooks/twilio/voice",
        status_path: str = "/webhooks/twilio/status",
        time_scale: float = 1.0,
    ) -> None:
        self.auth_token = auth_token
        self.app = app  # reaches our API, where Twilio's webhooks go
        self.public_base_url = public_base_url.rstrip("/")
        self.voice_path = voice_path
        self.status_path = status_path
        self.time_scale = time_scale

    async def incoming(
        self,
        *,
        to: str,
        from_: str,
        sip: SipEnd,
        talk_seconds: float = 1.0,
        call_sid: str | None = None,
    ) -> CallRun:
        """A call to `to` from `from_`, run to its end; the SIP endpoint behaves as `sip`."""
        run = CallRun(call_sid=call_sid or f"CA{secrets.token_hex(16)}")
        base = self._params(run, to=to, from_=from_, status="ringing")
        twiml = await self._request(run, self.public_base_url + self.voice_path, base)
        await self._execute(run, twiml, base, sip=sip, talk_seconds=talk_seconds)
        completed = {**base, "CallStatus": "completed", "CallDuration": str(int(run.seconds))}
        await self._request(run, self.public_base_url + self.status_path, completed)
        return run

    async def _execute(
        self, run: CallRun, twiml: str, base: dict[str, str], *, sip: SipEnd, talk_seconds: float
    ) -> None:
        root = _response(twiml)
        for verb in root:
            if verb.tag == "Say":
                run.heard.append((verb.text or "").strip())
                run.said_languages.append(verb.get("language"))
                run.said_voices.append(verb.get("voice"))
            elif verb.tag == "Hangup":
                run.hung_up_by_twiml = True
                return
            elif verb.tag == "Dial":
                outcome = await self._dial(run, verb, sip=sip, talk_seconds=talk_seconds)
                action = verb.get("action")
                if action is None:
                    continue  # on with the next verb
                assert verb.get("method", "POST") == "POST", "the fake only posts"
                params = {**base, "CallStatus": "in-progress", **outcome}
                answer = await self._request(run, action, params)
                await self._execute(run, answer, base, sip=sip, talk_seconds=talk_seconds)
                return  # verbs after a <Dial action> are unreachable
            else:
                raise AssertionError(f"the fake does not run <{verb.tag}>: {twiml}")

    async def _dial(
        self, run: CallRun, dial: ElementTree.Element, *, sip: SipEnd, talk_seconds: float
    ) -> dict[str, str]:
        target = dial.find("./Sip")
        assert target is not None and target.text, "the fake dials <Sip> only"
        run.dialled.append(target.text.strip())
        timeout = float(dial.get("timeout", DIAL_TIMEOUT_SECONDS))
        status, sip_code = _DIAL_OUTCOME[sip]
        talked = 0.0
        if sip is SipEnd.NO_ANSWER:
            await asyncio.sleep(timeout * self.time_scale)
            run.seconds += timeout
        elif sip is SipEnd.ANSWER:
            time_limit = float(dial.get("timeLimit", 14400))
            talked = min(talk_seconds, time_limit)
            await asyncio.sleep(talked * self.time_scale)
            run.seconds += talked
        run.dial_statuses.append(status)
        return {
            "DialCallStatus": status,
            "DialCallSid": f"CA{secrets.token_hex(16)}",
            "DialCallDuration": str(int(talked)),
            "DialBridged": "true" if sip is SipEnd.ANSWER else "false",
            "DialSipResponseCode": str(sip_code),
        }

    def _params(self, run: CallRun, *, to: str, from_: str, status: str) -> dict[str, str]:
        return {
            "AccountSid": ACCOUNT_SID,
            "ApiVersion": "2010-04-01",
            "CallSid": run.call_sid,
            "CallStatus": status,
            "Called": to,
            "Caller": from_,
            "Direction": "inbound",
            "From": from_,
            "To": to,
        }

    async def _request(self, run: CallRun, url: str, params: dict[str, str]) -> str:
        """POST a webhook, signed over the absolute URL as Twilio signs it."""
        assert url.startswith(self.public_base_url), f"Twilio cannot reach {url}"
        signature = RequestValidator(self.auth_token).compute_signature(url, params)
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        response = await self.app.post(path, data=params, headers={"X-Twilio-Signature": signature})
        run.requests.append(WebhookRequest(parts.path, params, response.status_code, response.text))
        return response.text


def _response(twiml: str) -> ElementTree.Element:
    if not twiml.strip():
        return ElementTree.Element("Response")  # an empty answer: nothing more to do
    root = ElementTree.fromstring(twiml)
    assert root.tag == "Response", twiml
    return root
