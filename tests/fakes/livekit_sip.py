"""Rooms, participants and SIP of the fake LiveKit (tests/fakes/livekit.py): what the
server holds, how it moves on its own, and the webhooks it sends about it.

`FakeLiveKit` inherits this; the methods named `_<TwirpMethod>` answer livekit-api.

Rooms (https://docs.livekit.io/home/server/managing-rooms/): a room is created by
CreateRoom or by the first participant joining it. A room nobody joins closes after its
`empty_timeout` (the server's default 300 s); once its last participant left, after its
`departure_timeout` (default 20 s). DeleteRoom disconnects everyone at once
(`DisconnectReason.ROOM_DELETED`). Closing sends `room_finished`.

Dial-outs (CreateSIPParticipant, https://docs.livekit.io/sip/outbound-calls/ and
livekit/sip pkg/sip/outbound.go): the SIP participant joins the room before the phone rings,
with the attribute `sip.callStatus` = `dialing` (https://docs.livekit.io/sip/sip-participant/);
it becomes `ringing` when the far end sends 180 Ringing and `active` when it answers
(200 OK). With `wait_until_answered` the request is answered only then; without it, as soon
as the participant joined. A far end that refuses (486 Busy Here, 480 Temporarily
Unavailable, 408 Request Timeout, 503 Service Unavailable, ...) takes the participant out
of the room (USER_REJECTED / USER_UNAVAILABLE / SIP_TRUNK_FAILURE, as livekit/sip
pkg/sip/errors.go classifies them) and fails the request with the Twirp error LiveKit maps
that status to, the status in its meta (`TwirpFailure.sip`; livekit-api raises
`SipCallError`). A far end that rings past the request's `ringing_timeout` (livekit-api pins
30 s when it is unset; the server's own default is 3 min) is cancelled: the participant
leaves and the request fails `canceled` "sip request timed out", with no SIP status
(livekit/sip pkg/sip/outbound.go sipResponse). The number LiveKit calls from is the
request's `sip_number`, else a random number of the trunk (livekit/protocol rpc/sip.go
NewCreateSIPParticipantRequest); it is the participant's `sip.trunkPhoneNumber`.

How each number's far end behaves is scripted with `set_callee(number, Callee...)`; an
unscripted number answers at once. A test can also answer a ringing phone itself
(`pick_up`, `refuse`). The far end's timings are real seconds; `time_scale`
multiplies the server's own timers (ring window, empty and departure timeouts) so a test
can shorten them.

Webhooks (https://docs.livekit.io/home/server/webhooks/): `room_started`,
`participant_joined`, `participant_left` and `room_finished` are recorded in `webhooks`
and, when `webhook_sink` is set, delivered to it in order, signed as LiveKit signs them (a
JWT with the body's SHA-256 in `Authorization`). Attribute changes send no webhook:
LiveKit has none for them.

SIP trunks and dispatch rules (https://docs.livekit.io/sip/trunk-inbound/,
/sip/trunk-outbound/, /sip/dispatch-rule/): created, replaced and listed with the
validation livekit/protocol applies (livekit/sip.go `ValidateResult`, sip/sip.go
`ValidateTrunksIter` and `DispatchRuleValidator`): an inbound trunk needs credentials,
allowed addresses or numbers; an outbound trunk needs numbers and an address; two inbound
trunks for the same numbers without allowed numbers conflict, as do two dispatch rules
for the same trunk, numbers and PIN.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import enum
import hashlib
import random
import secrets
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from google.protobuf import json_format
from livekit import api

SIP_CALL_STATUS = "sip.callStatus"
SIP = api.ParticipantInfo.Kind.SIP
AGENT = api.ParticipantInfo.Kind.AGENT

# livekit-server's room defaults (config `room.empty_timeout`, `room.departure_timeout`).
DEFAULT_EMPTY_TIMEOUT = 300.0
DEFAULT_DEPARTURE_TIMEOUT = 20.0
# livekit/sip pkg/sip/participant.go defaultRingingTimeout, for a request without one.
DEFAULT_RINGING_TIMEOUT = 180.0


def _reason(name: str) -> int:
    from livekit.protocol import models

    return models.DisconnectReason.Value(name)


class SipCallStatus(enum.StrEnum):
    """The values of a SIP participant's `sip.callStatus` attribute."""

    DIALING = "dialing"
    RINGING = "ringing"
    AUTOMATION = "automation"
    ACTIVE = "active"
    HANGUP = "hangup"


@dataclass(frozen=True)
class SipResponse:
    code: int
    phrase: str


BUSY_HERE = SipResponse(486, "Busy Here")
TEMPORARILY_UNAVAILABLE = SipResponse(480, "Temporarily Unavailable")
REQUEST_TIMEOUT = SipResponse(408, "Request Timeout")
SERVICE_UNAVAILABLE = SipResponse(503, "Service Unavailable")
DECLINE = SipResponse(603, "Decline")
NOT_FOUND = SipResponse(404, "Not Found")


@dataclass(frozen=True)
class Callee:
    """The phone a dial-out reaches. Seconds count from LiveKit's INVITE.

    `ring_after`: when it sends 180 Ringing (None: never, e.g. a carrier error).
    `respond_after`: when it sends its final answer (None: it rings until LiveKit gives up).
    `reject`: that final answer is this failure instead of 200 OK.
    """

    ring_after: float | None = 0.0
    respond_after: float | None = 0.0
    reject: SipResponse | None = None

    @classmethod
    def answering(cls, *, after: float = 0.0, ring_after: float = 0.0) -> Callee:
        return cls(ring_after=min(ring_after, after), respond_after=after)

    @classmethod
    def busy(cls, *, after: float = 0.0) -> Callee:
        return cls(ring_after=0.0, respond_after=after, reject=BUSY_HERE)

    @classmethod
    def not_answering(
        cls, *, after: float = 0.0, response: SipResponse = TEMPORARILY_UNAVAILABLE
    ) -> Callee:
        """Rings, then the carrier gives up on it (480, or 408)."""
        return cls(ring_after=0.0, respond_after=after, reject=response)

    @classmethod
    def ringing_forever(cls) -> Callee:
        """Rings until LiveKit's ring window ends (the request's `ringing_timeout`), or until
        the test answers for it (`pick_up`, `refuse`)."""
        return cls(ring_after=0.0, respond_after=None)

    @classmethod
    def failing(cls, response: SipResponse = SERVICE_UNAVAILABLE) -> Callee:
        """The carrier refuses the call before anything rings."""
        return cls(ring_after=None, respond_after=0.0, reject=response)


def _disconnect_reason(code: int) -> int:
    """livekit/sip pkg/sip/errors.go classifyInviteError: how the participant left."""
    if code in (401, 403, 407, 486, 488) or 600 <= code < 700:
        return _reason("USER_REJECTED")
    if 400 <= code < 500:
        return _reason("USER_UNAVAILABLE")
    return _reason("SIP_TRUNK_FAILURE")


@dataclass
class Participant:
    identity: str
    kind: int
    name: str = ""
    attributes: dict[str, str] = field(default_factory=dict)
    sid: str = field(default_factory=lambda: f"PA_{secrets.token_hex(6)}")
    joined_at: float = field(default_factory=time.time)
    # Every `sip.callStatus` it had, in order.
    sip_statuses: list[str] = field(default_factory=list)
    # Wall-clock time its call was answered (`sip.callStatus` became `active`).
    answered_at: float | None = None
    left_at: float | None = None
    disconnect_reason: int = 0

    @property
    def sip_status(self) -> str | None:
        return self.attributes.get(SIP_CALL_STATUS)

    def set_sip_status(self, status: SipCallStatus) -> None:
        self.attributes[SIP_CALL_STATUS] = status.value
        self.sip_statuses.append(status.value)
        if status is SipCallStatus.ACTIVE and self.answered_at is None:
            self.answered_at = time.time()

    def info(self) -> api.ParticipantInfo:
        return api.ParticipantInfo(
            sid=self.sid,
            identity=self.identity,
            name=self.name,
            kind=self.kind,  # type: ignore[arg-type]
            attributes=self.attributes,
            joined_at=int(self.joined_at),
            state=(
                api.ParticipantInfo.State.DISCONNECTED
                if self.left_at is not None
                else api.ParticipantInfo.State.ACTIVE
            ),
            disconnect_reason=self.disconnect_reason,  # type: ignore[arg-type]
        )


@dataclass
class _RoomState:
    participants: dict[str, Participant] = field(default_factory=dict)
    closer: asyncio.Task[None] | None = None
    dials: set[asyncio.Task[None]] = field(default_factory=set)


def _twirp_failure(code: str, message: str, **meta: str) -> Exception:
    from tests.fakes.livekit import TwirpFailure

    return TwirpFailure(code, message, meta=meta or None)


def _sip_failure(response: SipResponse) -> Exception:
    from tests.fakes.livekit import TwirpFailure

    return TwirpFailure.sip(response.code, response.phrase)


def _seconds(duration: Any) -> float:
    return float(duration.seconds) + duration.nanos / 1e9


def _now_timestamp(message: Any, name: str) -> None:
    getattr(message, name).GetCurrentTime()


class LiveKitRoomsAndSip:
    """Mixin of FakeLiveKit (which provides `api_key`, `api_secret`, `rooms`,
    `sip_participants`)."""

    api_key: str
    api_secret: str
    rooms: dict[str, api.Room]
    sip_participants: list[api.SIPParticipantInfo]

    def _reset_rooms_and_sip(self) -> None:
        for task in getattr(self, "_timers", set()):
            task.cancel()
        self._timers: set[asyncio.Task[Any]] = set()
        self.room_states: dict[str, _RoomState] = {}
        self.closed_rooms: list[str] = []
        self.callees: dict[str, Callee] = {}
        self._final_answers: dict[tuple[str, str], asyncio.Future[SipResponse | None]] = {}
        self.time_scale = 1.0
        self.webhook_sink: Callable[[str, str], Awaitable[Any]] | None = None
        self.webhooks: list[api.WebhookEvent] = []
        self.webhooks_delivered: list[api.WebhookEvent] = []
        self._webhook_queue: asyncio.Queue[api.WebhookEvent] | None = None
        self.inbound_trunks: dict[str, api.SIPInboundTrunkInfo] = {}
        self.outbound_trunks: dict[str, api.SIPOutboundTrunkInfo] = {}
        self.dispatch_rules: dict[str, api.SIPDispatchRuleInfo] = {}

    # ------------------------------------------------------------------ test controls

    def set_callee(self, number: str, callee: Callee) -> None:
        """How the phone at `number` behaves when LiveKit dials it."""
        self.callees[number] = callee

    def participants(self, room: str) -> list[Participant]:
        state = self.room_states.get(room)
        return list(state.participants.values()) if state else []

    def participant(self, room: str, identity: str) -> Participant | None:
        state = self.room_states.get(room)
        return state.participants.get(identity) if state else None

    def join(
        self,
        room: str,
        identity: str,
        *,
        kind: int = AGENT,
        attributes: dict[str, str] | None = None,
    ) -> Participant:
        """A participant (an agent, by default) connects to the room, creating it if needed."""
        participant = Participant(identity=identity, kind=kind, attributes=dict(attributes or {}))
        self._join(self._room(room), room, participant)
        return participant

    def leave(self, room: str, identity: str, *, reason: str = "CLIENT_INITIATED") -> None:
        """The participant disconnects (`DisconnectReason` name)."""
        self._leave(room, identity, _reason(reason))

    def hang_up(self, room: str, identity: str) -> None:
        """The far end of a SIP participant's call hangs up."""
        participant = self.participant(room, identity)
        assert participant is not None, f"{identity} is not in {room}"
        participant.set_sip_status(SipCallStatus.HANGUP)
        self._leave(room, identity, _reason("CLIENT_INITIATED"))

    def add_outbound_trunk(
        self,
        *,
        numbers: list[str],
        trunk_id: str | None = None,
        address: str = "example.pstn.twilio.com",
        name: str = "outbound",
    ) -> api.SIPOutboundTrunkInfo:
        """An outbound trunk that exists already (created in LiveKit's console, say)."""
        trunk = api.SIPOutboundTrunkInfo(
            sip_trunk_id=trunk_id or f"ST_{secrets.token_hex(6)}",
            name=name,
            address=address,
            numbers=numbers,
        )
        _now_timestamp(trunk, "created_at")
        self.outbound_trunks[trunk.sip_trunk_id] = trunk
        return trunk

    # ------------------------------------------------------------------ rooms

    def _CreateRoom(self, request: api.CreateRoomRequest) -> api.Room:
        existing = self.rooms.get(request.name)
        if existing is not None:  # LiveKit answers an existing room unchanged
            return existing
        room = api.Room(
            sid=f"RM_{secrets.token_hex(6)}",
            name=request.name,
            metadata=request.metadata,
            empty_timeout=request.empty_timeout,
            departure_timeout=request.departure_timeout,
            max_participants=request.max_participants,
            creation_time=int(time.time()),
        )
        self._open(room)
        return room

    def _DeleteRoom(self, request: api.DeleteRoomRequest) -> api.DeleteRoomResponse:
        if request.room in self.rooms:
            self._close(request.room, _reason("ROOM_DELETED"))
        return api.DeleteRoomResponse()

    def _room(self, name: str) -> _RoomState:
        """The room, created as a participant joining creates it."""
        if name not in self.rooms:
            self._open(api.Room(sid=f"RM_{secrets.token_hex(6)}", name=name))
        return self.room_states[name]

    def _open(self, room: api.Room) -> None:
        room.creation_time = room.creation_time or int(time.time())
        self.rooms[room.name] = room
        state = self.room_states[room.name] = _RoomState()
        self._webhook("room_started", room.name)
        state.closer = self._after(
            room.empty_timeout or DEFAULT_EMPTY_TIMEOUT, lambda: self._close_if_empty(room.name)
        )

    def _join(self, state: _RoomState, room: str, participant: Participant) -> None:
        if state.closer is not None:
            state.closer.cancel()
            state.closer = None
        state.participants[participant.identity] = participant
        self._webhook("participant_joined", room, participant)

    def _leave(self, room: str, identity: str, reason: int) -> None:
        state = self.room_states.get(room)
        participant = state.participants.pop(identity, None) if state else None
        if state is None or participant is None:
            return
        participant.left_at = time.time()
        participant.disconnect_reason = reason
        self._webhook("participant_left", room, participant)
        if not state.participants:
            departure = self.rooms[room].departure_timeout or DEFAULT_DEPARTURE_TIMEOUT
            state.closer = self._after(departure, lambda: self._close_if_empty(room))

    def _close_if_empty(self, room: str) -> None:
        state = self.room_states.get(room)
        if state is not None and not state.participants:
            self._close(room, _reason("ROOM_CLOSED"))

    def _close(self, room: str, reason: int) -> None:
        state = self.room_states[room]
        if state.closer is not None and state.closer is not asyncio.current_task():
            state.closer.cancel()
        for dial in list(state.dials):
            dial.cancel()
        for identity in list(state.participants):
            participant = state.participants.pop(identity)
            participant.left_at = time.time()
            participant.disconnect_reason = reason
            self._webhook("participant_left", room, participant)
        self._webhook("room_finished", room)
        del self.room_states[room]
        del self.rooms[room]
        self.closed_rooms.append(room)

    # ------------------------------------------------------------------ dial-outs

    async def _CreateSIPParticipant(
        self, request: api.CreateSIPParticipantRequest
    ) -> api.SIPParticipantInfo:
        # livekit/protocol livekit/sip.go CreateSIPParticipantRequest.ValidateResult
        if not (request.sip_trunk_id or request.HasField("trunk") or request.sip_number):
            raise _twirp_failure("invalid_argument", "missing sip trunk id and sip number")
        if not request.sip_call_to:
            raise _twirp_failure("invalid_argument", "missing sip callee number")
        if "@" in request.sip_call_to:
            raise _twirp_failure(
                "invalid_argument",
                "SipCallTo should be a phone number or SIP user, not a full SIP URI",
            )
        if not request.room_name:
            raise _twirp_failure("invalid_argument", "missing room name")
        trunk = self.outbound_trunks.get(request.sip_trunk_id)
        if request.sip_trunk_id and trunk is None:
            raise _twirp_failure("not_found", "requested sip trunk does not exist")
        # livekit/protocol rpc/sip.go: the request's number, else a random one of the trunk.
        number = request.sip_number
        if not number:
            if trunk is None or not trunk.numbers:
                raise _twirp_failure("failed_precondition", "no numbers on outbound trunk")
            number = random.choice(list(trunk.numbers))
        call_id = f"SCL_{secrets.token_hex(6)}"
        attributes = {
            **dict(request.participant_attributes),
            "sip.callID": call_id,
            "sip.trunkID": request.sip_trunk_id,
        }
        if not request.hide_phone_number:
            attributes["sip.phoneNumber"] = request.sip_call_to
            attributes["sip.trunkPhoneNumber"] = number
        participant = Participant(
            identity=request.participant_identity or f"sip_{request.sip_call_to}",
            kind=SIP,
            name=request.participant_name,
            attributes=attributes,
        )
        participant.set_sip_status(SipCallStatus.DIALING)
        loop = asyncio.get_running_loop()
        # The far end's final answer (None for 200 OK, else the failure it sends), which a
        # test may give (`pick_up`) as soon as the participant is in the room.
        final: asyncio.Future[SipResponse | None] = loop.create_future()
        self._final_answers[(request.room_name, participant.identity)] = final
        state = self._room(request.room_name)
        self._join(state, request.room_name, participant)
        info = api.SIPParticipantInfo(
            participant_id=participant.sid,
            participant_identity=participant.identity,
            room_name=request.room_name,
            sip_call_id=call_id,
        )
        self.sip_participants.append(info)
        answered: asyncio.Future[None] = loop.create_future()
        dial = self._spawn(self._dial(request, participant, final, answered))
        state.dials.add(dial)
        dial.add_done_callback(state.dials.discard)
        # Retrieved here, so an outcome nobody waits for is not reported as lost.
        answered.add_done_callback(lambda done: done.exception())
        if request.wait_until_answered:
            await asyncio.shield(answered)
        return info

    async def _dial(
        self,
        request: api.CreateSIPParticipantRequest,
        participant: Participant,
        final: asyncio.Future[SipResponse | None],
        answered: asyncio.Future[None],
    ) -> None:
        callee = self.callees.get(request.sip_call_to, Callee())
        window = (
            _seconds(request.ringing_timeout)
            if request.HasField("ringing_timeout")
            else DEFAULT_RINGING_TIMEOUT
        ) * self.time_scale
        room, identity = request.room_name, participant.identity
        loop = asyncio.get_running_loop()

        def ring() -> None:
            if not final.done():
                participant.set_sip_status(SipCallStatus.RINGING)

        timers = []
        if callee.ring_after is not None:
            timers.append(loop.call_later(callee.ring_after, ring))
        if callee.respond_after is not None:
            timers.append(
                loop.call_later(
                    callee.respond_after,
                    lambda: final.done() or final.set_result(callee.reject),
                )
            )
        try:
            try:
                response = await asyncio.wait_for(asyncio.shield(final), timeout=window)
            except TimeoutError:
                # LiveKit CANCELs the INVITE; the call counts as unanswered.
                self._leave(room, identity, _reason("USER_UNAVAILABLE"))
                answered.set_exception(_twirp_failure("canceled", "sip request timed out"))
                return
            if response is not None:
                self._leave(room, identity, _disconnect_reason(response.code))
                answered.set_exception(_sip_failure(response))
                return
            participant.set_sip_status(SipCallStatus.ACTIVE)
            answered.set_result(None)
        except asyncio.CancelledError:
            # The room closed under the call: the INVITE's context ends, which LiveKit
            # reports like its own ring window ending.
            if not answered.done():
                answered.set_exception(_twirp_failure("canceled", "sip request timed out"))
            raise
        finally:
            for timer in timers:
                timer.cancel()
            if not final.done():
                final.cancel()
            self._final_answers.pop((room, identity), None)

    def pick_up(self, room: str, identity: str) -> None:
        """The phone a dial-out is ringing is answered now (200 OK)."""
        self._final_answers[(room, identity)].set_result(None)

    def refuse(self, room: str, identity: str, response: SipResponse = BUSY_HERE) -> None:
        """The phone a dial-out is ringing answers with `response` now (486 Busy Here...)."""
        self._final_answers[(room, identity)].set_result(response)

    # ------------------------------------------------------------------ trunks and rules

    def _CreateSIPInboundTrunk(
        self, request: api.CreateSIPInboundTrunkRequest
    ) -> api.SIPInboundTrunkInfo:
        trunk = api.SIPInboundTrunkInfo()
        trunk.CopyFrom(request.trunk)
        trunk.sip_trunk_id = f"ST_{secrets.token_hex(6)}"
        _now_timestamp(trunk, "created_at")
        self._check_inbound(trunk)
        self.inbound_trunks[trunk.sip_trunk_id] = trunk
        return trunk

    def _UpdateSIPInboundTrunk(
        self, request: api.UpdateSIPInboundTrunkRequest
    ) -> api.SIPInboundTrunkInfo:
        existing = self.inbound_trunks.get(request.sip_trunk_id)
        if existing is None:
            raise _twirp_failure("not_found", "requested sip trunk does not exist")
        trunk = self._replacement(request, existing, "sip_trunk_id")
        self._check_inbound(trunk)
        self.inbound_trunks[trunk.sip_trunk_id] = trunk
        return trunk

    def _ListSIPInboundTrunk(
        self, request: api.ListSIPInboundTrunkRequest
    ) -> api.ListSIPInboundTrunkResponse:
        items = [
            trunk
            for trunk in self.inbound_trunks.values()
            if (not request.trunk_ids or trunk.sip_trunk_id in request.trunk_ids)
            and (not request.numbers or set(trunk.numbers) & set(request.numbers))
        ]
        return api.ListSIPInboundTrunkResponse(items=items)

    def _CreateSIPOutboundTrunk(
        self, request: api.CreateSIPOutboundTrunkRequest
    ) -> api.SIPOutboundTrunkInfo:
        trunk = api.SIPOutboundTrunkInfo()
        trunk.CopyFrom(request.trunk)
        trunk.sip_trunk_id = f"ST_{secrets.token_hex(6)}"
        _now_timestamp(trunk, "created_at")
        self._check_outbound(trunk)
        self.outbound_trunks[trunk.sip_trunk_id] = trunk
        return trunk

    def _UpdateSIPOutboundTrunk(
        self, request: api.UpdateSIPOutboundTrunkRequest
    ) -> api.SIPOutboundTrunkInfo:
        existing = self.outbound_trunks.get(request.sip_trunk_id)
        if existing is None:
            raise _twirp_failure("not_found", "requested sip trunk does not exist")
        trunk = self._replacement(request, existing, "sip_trunk_id")
        self._check_outbound(trunk)
        self.outbound_trunks[trunk.sip_trunk_id] = trunk
        return trunk

    def _ListSIPOutboundTrunk(
        self, request: api.ListSIPOutboundTrunkRequest
    ) -> api.ListSIPOutboundTrunkResponse:
        items = [
            trunk
            for trunk in self.outbound_trunks.values()
            if (not request.trunk_ids or trunk.sip_trunk_id in request.trunk_ids)
            and (not request.numbers or set(trunk.numbers) & set(request.numbers))
        ]
        return api.ListSIPOutboundTrunkResponse(items=items)

    def _CreateSIPDispatchRule(
        self, request: api.CreateSIPDispatchRuleRequest
    ) -> api.SIPDispatchRuleInfo:
        rule = api.SIPDispatchRuleInfo()
        rule.CopyFrom(request.dispatch_rule)
        rule.sip_dispatch_rule_id = f"SDR_{secrets.token_hex(6)}"
        _now_timestamp(rule, "created_at")
        self._check_dispatch_rule(rule)
        self.dispatch_rules[rule.sip_dispatch_rule_id] = rule
        return rule

    def _UpdateSIPDispatchRule(
        self, request: api.UpdateSIPDispatchRuleRequest
    ) -> api.SIPDispatchRuleInfo:
        existing = self.dispatch_rules.get(request.sip_dispatch_rule_id)
        if existing is None:
            raise _twirp_failure("not_found", "requested sip dispatch rule does not exist")
        rule = self._replacement(request, existing, "sip_dispatch_rule_id")
        self._check_dispatch_rule(rule)
        self.dispatch_rules[rule.sip_dispatch_rule_id] = rule
        return rule

    def _ListSIPDispatchRule(
        self, request: api.ListSIPDispatchRuleRequest
    ) -> api.ListSIPDispatchRuleResponse:
        items = [
            rule
            for rule in self.dispatch_rules.values()
            if (
                not request.dispatch_rule_ids
                or rule.sip_dispatch_rule_id in request.dispatch_rule_ids
            )
            and (not request.trunk_ids or set(rule.trunk_ids) & set(request.trunk_ids))
        ]
        return api.ListSIPDispatchRuleResponse(items=items)

    @staticmethod
    def _replacement(request: Any, existing: Any, id_field: str) -> Any:
        if request.WhichOneof("action") != "replace":
            # Field updates (`update`) are not modelled; the platform replaces.
            raise _twirp_failure("unimplemented", "the fake LiveKit applies `replace` only")
        replaced = type(existing)()
        replaced.CopyFrom(request.replace)
        setattr(replaced, id_field, getattr(existing, id_field))
        replaced.created_at.CopyFrom(existing.created_at)
        _now_timestamp(replaced, "updated_at")
        return replaced

    def _check_inbound(self, trunk: api.SIPInboundTrunkInfo) -> None:
        if not (
            trunk.auth_username
            or trunk.auth_password
            or len(trunk.allowed_addresses)
            or len(trunk.numbers)
        ):
            raise _twirp_failure(
                "invalid_argument",
                "for security, one of the fields must be set: AuthUsername+AuthPassword, "
                "AllowedAddresses or Numbers",
            )
        numbers = set(trunk.numbers) or {""}
        callers = set(trunk.allowed_numbers)
        for other in self.inbound_trunks.values():
            if other.sip_trunk_id == trunk.sip_trunk_id:
                continue
            if not numbers & (set(other.numbers) or {""}):
                continue
            other_callers = set(other.allowed_numbers)
            if (not callers and not other_callers) or callers & other_callers:
                raise _twirp_failure(
                    "invalid_argument",
                    f'Conflicting inbound SIP Trunks: "{trunk.sip_trunk_id}" and '
                    f'"{other.sip_trunk_id}", using the same number(s)',
                )

    @staticmethod
    def _check_outbound(trunk: api.SIPOutboundTrunkInfo) -> None:
        if not trunk.numbers:
            raise _twirp_failure("invalid_argument", "no trunk numbers specified")
        if not trunk.address:
            raise _twirp_failure("invalid_argument", "no outbound address specified")

    def _check_dispatch_rule(self, rule: api.SIPDispatchRuleInfo) -> None:
        kind = rule.rule.WhichOneof("rule")
        if kind is None:
            raise _twirp_failure("invalid_argument", "missing rule")
        pin = getattr(rule.rule, kind).pin

        def keys(info: api.SIPDispatchRuleInfo, pin: str) -> set[tuple[str, str, str, str]]:
            return {
                (pin, trunk, inbound, number)
                for trunk in (list(info.trunk_ids) or [""])
                for inbound in (list(info.inbound_numbers) or [""])
                for number in (list(info.numbers) or [""])
            }

        mine = keys(rule, pin)
        for other in self.dispatch_rules.values():
            if other.sip_dispatch_rule_id == rule.sip_dispatch_rule_id:
                continue
            other_kind = other.rule.WhichOneof("rule")
            other_pin = getattr(other.rule, other_kind).pin if other_kind else ""
            if mine & keys(other, other_pin):
                raise _twirp_failure(
                    "invalid_argument",
                    "Dispatch rule for the same trunk, inbound number, number, and PIN "
                    f'combination already exists in dispatch rule "{other.sip_dispatch_rule_id}"',
                )

    # ------------------------------------------------------------------ webhooks and timers

    def _webhook(self, event: str, room: str, participant: Participant | None = None) -> None:
        info = api.Room()
        info.CopyFrom(self.rooms[room])
        state = self.room_states.get(room)
        info.num_participants = len(state.participants) if state else 0
        message = api.WebhookEvent(
            event=event,
            id=f"EV_{secrets.token_hex(6)}",
            created_at=int(time.time()),
            room=info,
        )
        if participant is not None:
            message.participant.CopyFrom(participant.info())
        self.webhooks.append(message)
        if self.webhook_sink is None:
            return
        if self._webhook_queue is None:
            self._webhook_queue = asyncio.Queue()
            self._spawn(self._deliver_webhooks(self._webhook_queue))
        self._webhook_queue.put_nowait(message)

    async def _deliver_webhooks(self, queue: asyncio.Queue[api.WebhookEvent]) -> None:
        # One after the other, in the order they happened.
        while True:
            message = await queue.get()
            sink = self.webhook_sink
            if sink is None:
                continue
            body = json_format.MessageToJson(message)
            digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            token = api.AccessToken(self.api_key, self.api_secret).with_sha256(digest).to_jwt()
            with contextlib.suppress(Exception):  # a receiver that fails loses that event
                await sink(body, token)
            self.webhooks_delivered.append(message)

    def webhook_events(self, room: str | None = None) -> list[str]:
        """The webhook event names sent so far (for one room)."""
        return [w.event for w in self.webhooks if room is None or w.room.name == room]

    def _after(self, seconds: float, action: Callable[[], None]) -> asyncio.Task[None]:
        """Run `action` after `seconds` of the server's clock (scaled by `time_scale`)."""

        async def later() -> None:
            await asyncio.sleep(seconds * self.time_scale)
            action()

        return self._spawn(later())

    def _spawn(self, work: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.get_running_loop().create_task(work)
        self._timers.add(task)
        task.add_done_callback(self._timers.discard)
        return task
