"""Twilio's side of a call's SIP leg, and the phone network behind it: what Twilio does with a
SIP REFER that LiveKit sends when the worker transfers a caller.

    network = PhoneNetwork()
    network.at("+14155550199", FarEnd(Answer.ANSWER, ring_seconds=0.2))
    twilio = TwilioSip(auth_token=..., app=telephony.http, network=network)
    leg = twilio.bridge(voice_answer.text, call_sid=sid, from_=caller, to=number, livekit=livekit)
    # the worker's TransferSIPParticipant on that leg now reaches `leg.refer(...)`

Two kinds of leg, as Twilio has them:

- An incoming call answered with TwiML `<Dial><Sip>` (`bridge`): the SIP leg from Twilio to
  LiveKit is a child of the caller's call. Twilio honours a REFER on it only when the
  `<Dial>` has a `referUrl`; otherwise it raises alert 13802 and keeps the call as it was
  (https://www.twilio.com/docs/api/errors/13802). With `referUrl`, Twilio POSTs the REFER to
  it (the standard voice webhook parameters plus `ReferTransferTarget`, the Refer-To header
  as sent, signed with X-Twilio-Signature like every webhook) and runs the TwiML it gets on
  the caller's call (https://www.twilio.com/docs/voice/api/refer-to-twilio,
  https://www.twilio.com/docs/voice/twiml/dial#referurl,
  https://www.twilio.com/docs/voice/twiml/sip). With `answerOnBridge="true"` (ours) the LiveKit
  leg stays connected until the transfer target answers; if the target does not answer, or
  the referUrl cannot be fetched, the caller stays with the agent. Without it Twilio drops
  the LiveKit leg right after fetching the referUrl, whatever happens next (the table
  "Scenarios" on the refer-to-twilio page).
  Once the LiveKit leg is dropped that way, the caller's call runs the TwiML the referUrl
  returned ("Twilio then bridges UserA's call with the connected SIP call to AgentB"), and
  the first `<Dial>` is over. Neither page says what becomes of that `<Dial>`'s `action`.
  What Twilio documents for the same situation, a parent call moved to new TwiML while in a
  `<Dial>` (https://www.twilio.com/docs/voice/twiml/changelog, Dial 2021-05-13): it requests
  the `action` URL, and does not run what it answers (the call runs its new TwiML). The fake
  does that: the bridge was answered, so `DialCallStatus=completed` with `DialBridged=true`
  (https://www.twilio.com/docs/voice/twiml/dial#action), posted and signed like every
  webhook, and its answer only recorded (`DialLeg.action_requests`).
- An Elastic SIP trunk call (`trunk`): LiveKit's outbound calls. Transfers are switched on
  per trunk, transfers to the phone network (tel:) separately
  (https://www.twilio.com/docs/sip-trunking/call-transfer); a REFER the trunk does not
  allow is refused.

Twilio reports the REFER's progress to LiveKit with SIP NOTIFYs; here `refer()` returns the
final one as a `DialResult`. Which SIP status Twilio sends when it refuses a REFER (13802,
a trunk without transfers) is not documented: the fake answers 403 Forbidden. A target
that does not answer within the `<Dial timeout>` ends 480 Temporarily Unavailable.
"""

from __future__ import annotations

import asyncio
import enum
import secrets
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import httpx
from twilio.request_validator import RequestValidator

if TYPE_CHECKING:
    from tests.fakes.livekit import FakeLiveKit

ACCOUNT_SID = "AC" + "0" * 32
# The Dial verb's default timeout (https://www.twilio.com/docs/voice/twiml/dial#timeout).
DIAL_TIMEOUT_SECONDS = 30.0
PHRASES = {
    200: "OK",
    403: "Forbidden",
    480: "Temporarily Unavailable",
    486: "Busy Here",
    500: "Server Internal Error",
    603: "Decline",
}


class Answer(enum.Enum):
    """What the phone at a number does when it rings."""

    ANSWER = "answer"  # picks up after ring_seconds: 200
    BUSY = "busy"  # 486 Busy Here at once
    NO_ANSWER = "no_answer"  # rings until the dialler gives up: 480
    DECLINE = "decline"  # rejects after ring_seconds: 603 Decline


@dataclass(frozen=True)
class FarEnd:
    answer: Answer = Answer.ANSWER
    ring_seconds: float = 0.0


@dataclass(frozen=True)
class DialResult:
    """The final SIP status of a dial (or of a REFER, as its last NOTIFY reports it)."""

    sip_status: int

    @property
    def answered(self) -> bool:
        return self.sip_status == 200

    @property
    def phrase(self) -> str:
        return PHRASES.get(self.sip_status, "")


def _number_of(target: str) -> str:
    """`tel:+1415…`, `<sip:+1415…@host;transport=tcp>` or `+1415…` -> what the network knows."""
    target = target.strip().strip("<>")
    if target.startswith("tel:"):
        return target[4:].split(";")[0]
    if target.startswith("sip:"):
        return target.split("?")[0].split(";")[0]
    return target


class PhoneNetwork:
    """Who answers at which number or SIP URI, and how fast; unknown targets answer at once."""

    def __init__(self, default: FarEnd | None = None) -> None:
        self.default = default or FarEnd()
        self.far_ends: dict[str, FarEnd] = {}
        self.dialled: list[str] = []

    def at(self, target: str, far_end: FarEnd) -> None:
        self.far_ends[_number_of(target)] = far_end

    async def dial(self, target: str, *, timeout: float) -> DialResult:
        number = _number_of(target)
        self.dialled.append(number)
        far_end = self.far_ends.get(number, self.default)
        if far_end.answer is Answer.BUSY:
            return DialResult(486)
        if far_end.answer is Answer.NO_ANSWER or far_end.ring_seconds >= timeout:
            await asyncio.sleep(timeout)
            return DialResult(480)
        await asyncio.sleep(far_end.ring_seconds)
        return DialResult(200 if far_end.answer is Answer.ANSWER else 603)


@dataclass(frozen=True)
class Alert:
    """An entry of Twilio's Debugger."""

    code: int
    call_sid: str
    message: str


@dataclass
class ReferRequest:
    """One REFER Twilio received on a `<Dial>` leg, and what came of it."""

    refer_to: str
    webhook_status: int | None = None  # None: no referUrl, nothing was fetched
    twiml: str | None = None
    dialled: str | None = None
    caller_id: str | None = None
    result: DialResult | None = None


@dataclass
class ActionRequest:
    """Twilio's request to the first `<Dial>`'s `action` once a transfer took the caller's
    call over: what it sent and what it got (which it does not run)."""

    params: dict[str, str]
    status: int
    twiml: str

    @property
    def verbs(self) -> list[str]:
        root = ElementTree.fromstring(self.twiml) if self.twiml.strip() else None
        return [child.tag for child in root] if root is not None else []


@dataclass
class DialLeg:
    """The `<Dial><Sip>` leg of an incoming call, from Twilio to a LiveKit room."""

    twilio: TwilioSip
    call_sid: str
    from_number: str
    to_number: str
    sip_uri: str
    room: str
    identity: str
    refer_url: str | None
    refer_method: str
    answer_on_bridge: bool
    # bridged: caller <-> LiveKit; transferred: caller <-> the transfer target;
    # caller_lost: Twilio dropped the LiveKit leg and then the transfer failed.
    state: str = "bridged"
    connected_to: str | None = None
    refers: list[ReferRequest] = field(default_factory=list)
    action: str | None = None  # the `<Dial action>`
    action_requests: list[ActionRequest] = field(default_factory=list)

    async def refer(self, refer_to: str) -> DialResult:
        request = ReferRequest(refer_to=refer_to)
        self.refers.append(request)
        if not self.refer_url:
            self.twilio.alerts.append(
                Alert(13802, self.call_sid, "Dial: No referUrl attribute specified")
            )
            request.result = DialResult(403)
            return request.result
        request.webhook_status, request.twiml = await self.twilio.fetch_refer_url(self, refer_to)
        dial = _dial_of(request.twiml) if request.webhook_status == 200 else None
        if not self.answer_on_bridge:
            # Twilio NOTIFYs success and drops the LiveKit leg as soon as it has the TwiML.
            self.state = "caller_lost"
            await self._handed_over()
            if dial is not None:
                request.result = await self._dial(request, dial)
            return DialResult(200)
        if dial is None:  # not reachable, an error, or TwiML without a <Dial>
            request.result = DialResult(500)
            return request.result
        request.result = await self._dial(request, dial)
        return request.result

    async def _dial(self, request: ReferRequest, dial: ElementTree.Element) -> DialResult:
        target = next((child for child in dial if child.tag in ("Number", "Sip")), None)
        if target is None or not (target.text or "").strip():
            return DialResult(500)
        request.dialled = (target.text or "").strip()
        request.caller_id = dial.get("callerId")
        timeout = float(dial.get("timeout", DIAL_TIMEOUT_SECONDS))
        result = await self.twilio.network.dial(request.dialled, timeout=timeout)
        if result.answered:
            was_bridged = self.state == "bridged"
            self.state, self.connected_to = "transferred", request.dialled
            if was_bridged:  # answerOnBridge: the LiveKit leg is dropped only now
                await self._handed_over()
        return result

    async def _handed_over(self) -> None:
        """The LiveKit leg is dropped and the caller's call runs the referUrl's TwiML: Twilio
        requests the first `<Dial>`'s action and does not run the answer."""
        if self.action is None:
            return
        params = {
            **self.twilio.call_params(self),
            "DialCallStatus": "completed",
            "DialCallSid": f"CA{secrets.token_hex(16)}",
            "DialBridged": "true",
            "DialSipResponseCode": "200",
        }
        status, twiml = await self.twilio.post(self.action, params)
        self.action_requests.append(ActionRequest(params, status, twiml))


@dataclass
class TrunkLeg:
    """A call LiveKit placed through an Elastic SIP trunk."""

    twilio: TwilioSip
    room: str
    identity: str
    call_transfer: bool
    pstn_transfer: bool
    state: str = "bridged"
    connected_to: str | None = None
    refers: list[str] = field(default_factory=list)

    async def refer(self, refer_to: str) -> DialResult:
        self.refers.append(refer_to)
        to_phone_network = refer_to.strip("<>").startswith("tel:")
        if not self.call_transfer or (to_phone_network and not self.pstn_transfer):
            return DialResult(403)
        result = await self.twilio.network.dial(refer_to, timeout=DIAL_TIMEOUT_SECONDS)
        if result.answered:
            self.state, self.connected_to = "transferred", _number_of(refer_to)
        return result


def _dial_of(twiml: str | None) -> ElementTree.Element | None:
    try:
        root = ElementTree.fromstring(twiml or "")
    except ElementTree.ParseError:
        return None
    return root.find("./Dial") if root.tag == "Response" else None


class TwilioSip:
    """Twilio's SIP side for the tests: legs, the REFERs they got, and Debugger alerts."""

    def __init__(
        self, *, auth_token: str, app: httpx.AsyncClient, network: PhoneNetwork | None = None
    ) -> None:
        self.auth_token = auth_token
        self.app = app  # reaches our API, where Twilio's webhooks go
        self.network = network or PhoneNetwork()
        self.alerts: list[Alert] = []
        self.legs: list[DialLeg | TrunkLeg] = []

    def bridge(
        self,
        twiml: str,
        *,
        call_sid: str,
        from_: str,
        to: str,
        livekit: FakeLiveKit,
        identity: str = "sip-caller",
    ) -> DialLeg:
        """Twilio runs the voice webhook's answer: `<Dial><Sip>` into a LiveKit room, whose SIP
        participant `identity` is then this leg."""
        dial = _dial_of(twiml)
        assert dial is not None, twiml
        sip = dial.find("./Sip")
        assert sip is not None and sip.text, twiml
        uri = sip.text.strip()
        room = uri[len("sip:") :].split("@")[0]
        leg = DialLeg(
            twilio=self,
            call_sid=call_sid,
            from_number=from_,
            to_number=to,
            sip_uri=uri,
            room=room,
            identity=identity,
            refer_url=dial.get("referUrl"),
            refer_method=dial.get("referMethod", "POST"),
            answer_on_bridge=dial.get("answerOnBridge") == "true",
            action=dial.get("action"),
        )
        self.legs.append(leg)
        livekit.attach_sip_peer(room=room, identity=identity, peer=leg)
        return leg

    def trunk(
        self,
        *,
        livekit: FakeLiveKit,
        room: str,
        identity: str,
        call_transfer: bool = True,
        pstn_transfer: bool = True,
    ) -> TrunkLeg:
        """A call LiveKit placed through the Elastic SIP trunk, with the trunk's transfer
        settings."""
        leg = TrunkLeg(
            twilio=self,
            room=room,
            identity=identity,
            call_transfer=call_transfer,
            pstn_transfer=pstn_transfer,
        )
        self.legs.append(leg)
        livekit.attach_sip_peer(room=room, identity=identity, peer=leg)
        return leg

    async def fetch_refer_url(self, leg: DialLeg, refer_to: str) -> tuple[int, str]:
        """POST the REFER to the leg's referUrl as Twilio does: (status, body)."""
        params = {**self.call_params(leg), "ReferTransferTarget": refer_to}
        return await self.post(leg.refer_url or "", params)

    @staticmethod
    def call_params(leg: DialLeg) -> dict[str, str]:
        """The standard webhook parameters of the leg's parent call (the caller's)."""
        return {
            "AccountSid": ACCOUNT_SID,
            "ApiVersion": "2010-04-01",
            "CallSid": leg.call_sid,
            "CallStatus": "in-progress",
            "Direction": "inbound",
            "From": leg.from_number,
            "Caller": leg.from_number,
            "To": leg.to_number,
            "Called": leg.to_number,
        }

    async def post(self, url: str, params: dict[str, str]) -> tuple[int, str]:
        """POST a webhook signed as Twilio signs it: (status, body); (0, "") unreachable."""
        signature = RequestValidator(self.auth_token).compute_signature(url, params)
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        try:
            response = await self.app.post(
                path, data=params, headers={"X-Twilio-Signature": signature}
            )
        except httpx.HTTPError:
            return 0, ""
        return response.status_code, response.text
