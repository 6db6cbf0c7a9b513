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
    TransferSIPParticipant       sip.call and video.roomAdmin on the room

Everything is inspectable: `requests` (accepted and refused, decoded),
`requests_for(method)`, `rooms` (created and not deleted). Failures are
scripted: `fail_next(method, status=503)` answers the next call(s) with a
Twirp error; `await stop()` closes the port (connections are refused) and
`await start()` opens the same port again.
"""

from __future__ import annotations

import json
import secrets
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

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
    "internal": 500,
    "unavailable": 503,
    "deadline_exceeded": 504,
}


_TRANSFER_FIELDS = api.TransferSIPParticipantResponse.DESCRIPTOR.fields_by_name
_TRANSFER_SUCCESSFUL = (
    _TRANSFER_FIELDS["status"].enum_type.values_by_name["STS_TRANSFER_SUCCESSFUL"].number
)
_TRANSFER_COMPLETED = _TRANSFER_FIELDS["reason"].enum_type.values_by_name["STR_COMPLETED"].number


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
    if method == "TransferSIPParticipant":
        return (
            bool(sip.call) and bool(video.room_admin) and video.room == message.room_name  # type: ignore[attr-defined]
        )
    return False


class FakeLiveKit(FakeService):
    # (service, method) -> the request's message class
    ROUTES: dict[tuple[str, str], type[Message]] = {
        ("livekit.RoomService", "CreateRoom"): api.CreateRoomRequest,
        ("livekit.RoomService", "DeleteRoom"): api.DeleteRoomRequest,
        ("livekit.AgentDispatchService", "CreateDispatch"): api.CreateAgentDispatchRequest,
        ("livekit.SIP", "CreateSIPParticipant"): api.CreateSIPParticipantRequest,
        ("livekit.SIP", "TransferSIPParticipant"): api.TransferSIPParticipantRequest,
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
        answer = getattr(self, f"_{method}")(message)
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
        self.rooms[request.name] = room
        return room

    def _DeleteRoom(self, request: api.DeleteRoomRequest) -> api.DeleteRoomResponse:
        self.rooms.pop(request.room, None)
        return api.DeleteRoomResponse()

    def _CreateDispatch(self, request: api.CreateAgentDispatchRequest) -> api.AgentDispatch:
        dispatch = api.AgentDispatch(
            id=f"AD_{secrets.token_hex(6)}",
            agent_name=request.agent_name,
            room=request.room,
            metadata=request.metadata,
        )
        self.dispatches.append(dispatch)
        return dispatch

    def _CreateSIPParticipant(
        self, request: api.CreateSIPParticipantRequest
    ) -> api.SIPParticipantInfo:
        participant = api.SIPParticipantInfo(
            participant_id=f"PA_{secrets.token_hex(6)}",
            participant_identity=request.participant_identity or f"sip_{request.sip_call_to}",
            room_name=request.room_name,
            sip_call_id=f"SCL_{secrets.token_hex(6)}",
        )
        self.sip_participants.append(participant)
        return participant

    def _TransferSIPParticipant(
        self, request: api.TransferSIPParticipantRequest
    ) -> api.TransferSIPParticipantResponse:
        return api.TransferSIPParticipantResponse(
            transfer_id=f"ST_{secrets.token_hex(6)}",
            status=self.transfer_status,
            reason=_TRANSFER_COMPLETED if self.transfer_status == _TRANSFER_SUCCESSFUL else 0,
        )


def room_metadata(request: LiveKitRequest) -> dict[str, Any]:
    """The JSON metadata of a recorded CreateRoom request."""
    assert isinstance(request.message, api.CreateRoomRequest), request
    return json.loads(request.message.metadata or "{}")
