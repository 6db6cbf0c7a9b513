"""A fake LiveKit server that speaks the Twirp API livekit-api uses, over real HTTP.

    async with FakeLiveKit(api_key, api_secret) as livekit:
        settings = base.model_copy(update=livekit.settings_overrides())
        ...
        [request] = livekit.requests_for("CreateRoom")
        request.message.name          # a decoded `api.CreateRoomRequest`

Served by uvicorn on 127.0.0.1 (a free port). Requests are protobuf (what
livekit-api sends: `Content-Type: application/protobuf`) or JSON, decoded with
the `livekit.api` message classes and answered in the same encoding.

Every request must carry `Authorization: Bearer <jwt>` signed with the API
secret, checked with `api.TokenVerifier`; a missing or bad token gets 401
`unauthenticated`, a token without the grant the real server wants gets 403
`permission_denied`. The grants are those livekit-server checks:

    CreateRoom, DeleteRoom       video.roomCreate   (livekit-api signs DeleteRoom so too)
    CreateDispatch               video.roomAdmin on the request's room
    CreateSIPParticipant         sip.call
    SIP trunks, dispatch rules   sip.admin (Create/Update/List of each)
    TransferSIPParticipant       sip.call and video.roomAdmin on the room
    MoveParticipant              video.roomAdmin on the room and its destinationRoom

Everything is inspectable: `requests` (accepted and refused, decoded),
`requests_for(method)`, `rooms` (open), their `participants(room)` with their SIP call
status, `webhooks` sent, trunks and dispatch rules. Rooms, dial-outs (ringing, busy, no
answer, the ring window), room timeouts and webhooks behave as tests/fakes/livekit_sip.py
describes. Failures are
scripted: `fail_next(method, status=503)` answers the next call(s) with a
Twirp error; `await stop()` closes the port (connections are refused) and
`await start()` opens the same port again.

Transfers (https://docs.livekit.io/sip/transfer-cold): TransferSIPParticipant sends a SIP
REFER to the other end of the participant's call and answers once that end's last NOTIFY
arrives, however long the transfer target rings, up to the request's `ringing_timeout`
(livekit-api pins it to 30 s and waits that plus 2 s: api/_dial_timeout.py). The other end
is whatever `attach_sip_peer` put there (Twilio's side: tests/fakes/twilio_sip.py); a
refused or failed REFER is a Twirp error carrying the SIP status (`SipCallError`), one that
rang out carries `sip_transfer_reason` STR_RINGING_TIMEOUT. A participant without an
attached peer is transferred at once with `transfer_status`. MoveParticipant (LiveKit
Cloud only, per livekit-api's room_service) moves a participant between rooms (`moves`).
"""

from __future__ import annotations

import asyncio
import inspect
import json
import secrets
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Protocol

from google.protobuf import json_format
from google.protobuf.message import DecodeError, Message
from livekit import api
from livekit.api.access_token import Claims
from pydantic import SecretStr
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes.base import FakeService
from tests.fakes.livekit_sip import LiveKitRoomsAndSip

PROTOBUF = "application/protobuf"

# Twirp error codes and the HTTP statuses Twirp pairs them with.
_TWIRP_STATUS = {
    "invalid_argument": 400,
    "malformed": 400,
    "unauthenticated": 401,
    "permission_denied": 403,
    "not_found": 404,
    "already_exists": 409,
    "failed_precondition": 412,
    "resource_exhausted": 429,
    "aborted": 409,
    "internal": 500,
    "unimplemented": 501,
    "unavailable": 503,
    # Twirp pairs both with 408 (https://twitchtv.github.io/twirp/docs/spec_v7.html).
    "deadline_exceeded": 408,
    "canceled": 408,
}


_TRANSFER_FIELDS = api.TransferSIPParticipantResponse.DESCRIPTOR.fields_by_name
_TRANSFER_SUCCESSFUL = (
    _TRANSFER_FIELDS["status"].enum_type.values_by_name["STS_TRANSFER_SUCCESSFUL"].number
)
_TRANSFER_COMPLETED = _TRANSFER_FIELDS["reason"].enum_type.values_by_name["STR_COMPLETED"].number

# A SIP failure becomes a Twirp error with the gRPC code LiveKit maps its status to, and the
# status in the error's meta, which livekit-api reads back as `SipCallError`
# (https://github.com/livekit/protocol/blob/main/livekit/sip.go: sipCodeToGRPCCode,
# TwirpErrorMeta; livekit-api's sip_service._as_sip_error). 4xx/5xx/6xx not listed map to
# invalid_argument / failed_precondition as that file does.
_SIP_TWIRP_CODE = {
    403: "permission_denied",
    404: "not_found",
    408: "deadline_exceeded",
    480: "resource_exhausted",
    486: "resource_exhausted",
    487: "aborted",
    600: "resource_exhausted",
    603: "permission_denied",
}


class TwirpFailure(Exception):
    """Raised by a method of the fake to answer with a Twirp error instead of a message."""

    def __init__(
        self, code: str, message: str, *, meta: dict[str, str] | None = None, status: int = 0
    ) -> None:
        super().__init__(message)
        self.code, self.message, self.meta = code, message, dict(meta or {})
        self.status = status or _TWIRP_STATUS.get(code, 500)

    @classmethod
    def sip(cls, sip_status: int, phrase: str = "", **meta: str) -> TwirpFailure:
        code = _SIP_TWIRP_CODE.get(
            sip_status, "failed_precondition" if 500 <= sip_status < 600 else "invalid_argument"
        )
        return cls(
            code,
            f"sip status {sip_status}: {phrase}".strip(),
            meta={"sip_status_code": str(sip_status), "sip_status": phrase, **meta},
        )


class SipPeer(Protocol):
    """The other end of a SIP participant's call (tests/fakes/twilio_sip.py): what it does
    with the REFER LiveKit sends for TransferSIPParticipant."""

    async def refer(self, refer_to: str) -> Any:
        """The final NOTIFY: an object with `sip_status`, `phrase` and `answered`."""


@dataclass
class LiveKitRequest:
    """One Twirp call as the fake saw it."""

    service: str
    method: str
    content_type: str
    message: Message | None  # the decoded request; None when it could not be decoded
    claims: Claims | None  # the verified token's claims; None when refused
    status: int = 0  # what the fake answered
    error_code: str | None = None


@dataclass
class _Failure:
    method: str
    status: int
    code: str
    message: str
    meta: dict[str, str] = field(default_factory=dict)


def _allowed(method: str, claims: Claims, message: Message) -> bool:
    video, sip = claims.video, claims.sip
    if method in ("CreateRoom", "DeleteRoom"):
        return bool(video.room_create)
    if method == "CreateDispatch":
        return bool(video.room_admin) and video.room == message.room  # type: ignore[attr-defined]
    if method == "CreateSIPParticipant":
        return bool(sip.call)
    if method in _SIP_ADMIN_METHODS:
        return bool(sip.admin)
    if method == "TransferSIPParticipant":
        return (
            bool(sip.call) and bool(video.room_admin) and video.room == message.room_name  # type: ignore[attr-defined]
        )
    if method == "MoveParticipant":
        return (
            bool(video.room_admin)
            and video.room == message.room  # type: ignore[attr-defined]
            and video.destination_room == message.destination_room  # type: ignore[attr-defined]
        )
    return False


# Trunks and dispatch rules: livekit-api signs them with the `sip.admin` grant.
_SIP_ADMIN_ROUTES: dict[tuple[str, str], type[Message]] = {
    ("livekit.SIP", "CreateSIPInboundTrunk"): api.CreateSIPInboundTrunkRequest,
    ("livekit.SIP", "UpdateSIPInboundTrunk"): api.UpdateSIPInboundTrunkRequest,
    ("livekit.SIP", "ListSIPInboundTrunk"): api.ListSIPInboundTrunkRequest,
    ("livekit.SIP", "CreateSIPOutboundTrunk"): api.CreateSIPOutboundTrunkRequest,
    ("livekit.SIP", "UpdateSIPOutboundTrunk"): api.UpdateSIPOutboundTrunkRequest,
    ("livekit.SIP", "ListSIPOutboundTrunk"): api.ListSIPOutboundTrunkRequest,
    ("livekit.SIP", "CreateSIPDispatchRule"): api.CreateSIPDispatchRuleRequest,
    ("livekit.SIP", "UpdateSIPDispatchRule"): api.UpdateSIPDispatchRuleRequest,
    ("livekit.SIP", "ListSIPDispatchRule"): api.ListSIPDispatchRuleRequest,
}
_SIP_ADMIN_METHODS = frozenset(method for _, method in _SIP_ADMIN_ROUTES)


class FakeLiveKit(LiveKitRoomsAndSip, FakeService):
    # (service, method) -> the request's message class
    ROUTES: dict[tuple[str, str], type[Message]] = {
        **_SIP_ADMIN_ROUTES,
        ("livekit.RoomService", "CreateRoom"): api.CreateRoomRequest,
        ("livekit.RoomService", "DeleteRoom"): api.DeleteRoomRequest,
        ("livekit.AgentDispatchService", "CreateDispatch"): api.CreateAgentDispatchRequest,
        ("livekit.SIP", "CreateSIPParticipant"): api.CreateSIPParticipantRequest,
        ("livekit.SIP", "TransferSIPParticipant"): api.TransferSIPParticipantRequest,
        ("livekit.RoomService", "MoveParticipant"): api.MoveParticipantRequest,
    }

    def __init__(self, api_key: str = "APIfakekey", api_secret: str | None = None) -> None:
        self.api_key = api_key
        self.api_secret = api_secret or secrets.token_urlsafe(32)
        super().__init__(
            Starlette(routes=[Route("/twirp/{service}/{method}", self._twirp, methods=["POST"])])
        )
        self.reset()

    def reset(self) -> None:
        """Forget every request, room and scripted failure."""
        self.requests: list[LiveKitRequest] = []
        self.rooms: dict[str, api.Room] = {}
        self.dispatches: list[api.AgentDispatch] = []
        self.sip_participants: list[api.SIPParticipantInfo] = []
        self._failures: deque[_Failure] = deque()
        # What a TransferSIPParticipant that is not scripted to fail answers; a status
        # other than successful means the transfer did not complete, with no error.
        self.transfer_status: int = _TRANSFER_SUCCESSFUL
        self._reset_transfers()
        self._reset_rooms_and_sip()

    @property
    def url(self) -> str:
        return self.base_url

    def settings_overrides(
        self, *, sip_host: str = "fake-project.sip.livekit.test"
    ) -> dict[str, Any]:
        """For `Settings.model_copy(update=...)`: the URL and credentials of this fake."""
        return {
            "livekit_url": self.url,
            "livekit_api_key": self.api_key,
            "livekit_api_secret": SecretStr(self.api_secret),
            "livekit_sip_host": sip_host,
        }

    # ------------------------------------------------------------------ test controls

    def fail_next(
        self,
        method: str,
        *,
        status: int = 503,
        code: str | None = None,
        message: str = "scripted failure",
        meta: dict[str, str] | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` calls of `method` with a Twirp error."""
        code = code or next(
            (name for name, value in _TWIRP_STATUS.items() if value == status), "internal"
        )
        for _ in range(times):
            self._failures.append(_Failure(method, status, code, message, dict(meta or {})))

    def requests_for(self, method: str, *, accepted_only: bool = True) -> list[LiveKitRequest]:
        return [
            r
            for r in self.requests
            if r.method == method and (r.status == 200 or not accepted_only)
        ]

    def methods(self) -> list[str]:
        """The accepted calls' method names, in order."""
        return [r.method for r in self.requests if r.status == 200]

    # ------------------------------------------------------------------ the Twirp endpoint

    async def _twirp(self, request: Request) -> Response:
        service, method = request.path_params["service"], request.path_params["method"]
        message_class = self.ROUTES.get((service, method))
        content_type = request.headers.get("content-type", "").split(";")[0].strip()
        record = LiveKitRequest(service, method, content_type, None, None)
        self.requests.append(record)
        if message_class is None:
            return self._error(record, 404, "bad_route", f"no handler for {service}/{method}")
        body = await request.body()
        try:
            if content_type == PROTOBUF:
                message = message_class.FromString(body)
            elif content_type == "application/json":
                message = json_format.Parse(body.decode() or "{}", message_class())
            else:
                return self._error(
                    record, 400, "malformed", f"unexpected content type {content_type!r}"
                )
        except (DecodeError, json_format.ParseError, UnicodeDecodeError) as error:
            return self._error(record, 400, "malformed", f"could not decode the request: {error}")
        record.message = message
        authorization = request.headers.get("authorization", "")
        if not authorization.startswith("Bearer "):
            return self._error(record, 401, "unauthenticated", "authorization header is required")
        try:
            claims = api.TokenVerifier(self.api_key, self.api_secret).verify(
                authorization[len("Bearer ") :]
            )
        except Exception as error:  # expired, bad signature, wrong issuer, malformed
            return self._error(record, 401, "unauthenticated", f"invalid token: {error}")
        record.claims = claims
        if not _allowed(method, claims, message):
            return self._error(record, 403, "permission_denied", f"{method}: missing grant")
        failure = next((f for f in self._failures if f.method == method), None)
        if failure is not None:
            self._failures.remove(failure)
            return self._error(record, failure.status, failure.code, failure.message, failure.meta)
        try:
            answer = getattr(self, f"_{method}")(message)
            if inspect.isawaitable(answer):  # a call that rings takes as long as the far end
                answer = await answer
        except TwirpFailure as failure:
            return self._error(record, failure.status, failure.code, failure.message, failure.meta)
        record.status = 200
        if content_type == PROTOBUF:
            return Response(answer.SerializeToString(), media_type=PROTOBUF)
        return Response(json_format.MessageToJson(answer), media_type="application/json")

    def _error(
        self,
        record: LiveKitRequest,
        status: int,
        code: str,
        message: str,
        meta: dict[str, str] | None = None,
    ) -> Response:
        record.status, record.error_code = status, code
        body: dict[str, Any] = {"code": code, "msg": message}
        if meta:
            body["meta"] = meta
        return JSONResponse(body, status_code=status)

    # ------------------------------------------------------------------ the methods

    # CreateRoom, DeleteRoom, CreateSIPParticipant and the trunk and dispatch-rule methods:
    # tests/fakes/livekit_sip.py (rooms with participants, dial-outs, webhooks).

    def _CreateDispatch(self, request: api.CreateAgentDispatchRequest) -> api.AgentDispatch:
        dispatch = api.AgentDispatch(
            id=f"AD_{secrets.token_hex(6)}",
            agent_name=request.agent_name,
            room=request.room,
            metadata=request.metadata,
        )
        self.dispatches.append(dispatch)
        return dispatch

    # ------------------------------------------------------------------ transfers

    def _reset_transfers(self) -> None:
        # (room, participant identity) -> the other end of that participant's SIP call.
        self.sip_peers: dict[tuple[str, str], SipPeer] = {}
        # (room, identity, transfer_to) of every participant transferred away.
        self.transferred: list[tuple[str, str, str]] = []
        # (room, identity, destination room) of every MoveParticipant.
        self.moves: list[tuple[str, str, str]] = []

    def attach_sip_peer(self, *, room: str, identity: str, peer: SipPeer) -> None:
        """The SIP participant `identity` in `room` is a call whose other end is `peer`."""
        self.sip_peers[(room, identity)] = peer

    def _TransferSIPParticipant(self, request: api.TransferSIPParticipantRequest) -> Any:
        peer = self.sip_peers.get((request.room_name, request.participant_identity))
        if peer is not None:
            return self._refer(peer, request)
        return api.TransferSIPParticipantResponse(
            transfer_id=f"ST_{secrets.token_hex(6)}",
            status=self.transfer_status,
            reason=_TRANSFER_COMPLETED if self.transfer_status == _TRANSFER_SUCCESSFUL else 0,
        )

    async def _refer(
        self, peer: SipPeer, request: api.TransferSIPParticipantRequest
    ) -> api.TransferSIPParticipantResponse:
        transfer_id = f"ST_{secrets.token_hex(6)}"
        ringing = (
            request.ringing_timeout.ToTimedelta().total_seconds()
            if request.HasField("ringing_timeout")
            else 30.0  # the server's default ring window
        )
        try:
            result = await asyncio.wait_for(peer.refer(request.transfer_to), ringing)
        except TimeoutError:
            raise TwirpFailure.sip(
                480,
                "Temporarily Unavailable",
                sip_transfer_reason="STR_RINGING_TIMEOUT",
                sip_transfer_id=transfer_id,
            ) from None
        if not result.answered:
            raise TwirpFailure.sip(
                result.sip_status,
                result.phrase,
                sip_transfer_reason="STR_REJECTED",
                sip_transfer_id=transfer_id,
            )
        # Transferred: the far end hangs up the participant's leg (BYE), so it leaves the
        # room as if it had hung up, and LiveKit's webhook says so; the answer to the
        # request may come after that webhook.
        del self.sip_peers[(request.room_name, request.participant_identity)]
        self.transferred.append(
            (request.room_name, request.participant_identity, request.transfer_to)
        )
        if self.participant(request.room_name, request.participant_identity) is not None:
            self.leave(request.room_name, request.participant_identity)
        return api.TransferSIPParticipantResponse(
            transfer_id=transfer_id, status=_TRANSFER_SUCCESSFUL, reason=_TRANSFER_COMPLETED
        )

    def _MoveParticipant(self, request: api.MoveParticipantRequest) -> Any:
        moving = self.participant(request.room, request.identity)
        if request.destination_room not in self.rooms:
            raise TwirpFailure("not_found", "destination room not found")
        if moving is None:
            raise TwirpFailure("not_found", "participant not found")
        self.moves.append((request.room, request.identity, request.destination_room))
        # It leaves the one room and joins the other, its call (and attributes) unchanged.
        self.leave(request.room, request.identity, reason="MIGRATION")
        arrived = self.join(
            request.destination_room,
            moving.identity,
            kind=moving.kind,
            attributes=moving.attributes,
        )
        arrived.sip_statuses = list(moving.sip_statuses)
        arrived.answered_at = moving.answered_at
        peer = self.sip_peers.pop((request.room, request.identity), None)
        if peer is not None:
            self.sip_peers[(request.destination_room, request.identity)] = peer
        return api.MoveParticipantResponse()


def room_metadata(request: LiveKitRequest) -> dict[str, Any]:
    """The JSON metadata of a recorded CreateRoom request."""
    assert isinstance(request.message, api.CreateRoomRequest), request
    return json.loads(request.message.metadata or "{}")
