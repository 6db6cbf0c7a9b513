"""LiveKit server API (livekit-api only; never livekit.agents): rooms, dispatch, SIP.

livekit-api (~40 MB with aiohttp and protobuf) is imported when the process first
talks to LiveKit, not when it starts.
"""

from __future__ import annotations

import asyncio
import enum
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from core.call_events import TransferOutcome
from core.settings import Settings

if TYPE_CHECKING:
    from livekit import api

_TIMEOUT_SECONDS = 8.0
_Result = TypeVar("_Result")


class TelephonyUnavailable(Exception):
    """LiveKit could not be reached or refused; the message is for logs and payloads."""


class DialOutcome(enum.StrEnum):
    """How a dial-out that was not answered ended, from the far end's SIP status."""

    BUSY = "busy"
    NO_ANSWER = "no_answer"
    FAILED = "failed"


class DialOutFailed(Exception):
    """The callee was not reached: busy, no answer, or refused by the carrier."""

    def __init__(self, outcome: DialOutcome, reason: str, sip_status_code: int | None) -> None:
        super().__init__(reason)
        self.outcome = outcome
        self.reason = reason  # `sip_<code>`, or `ringing_timeout`
        self.sip_status_code = sip_status_code


# RFC 3261 final responses: the person's line refused the call (busy, or declined), or
# nobody picked up before the far end gave up. Any other status is a failed call
# (404 no such number, 403 caller ID refused, 5xx carrier trouble).
_BUSY_STATUSES = frozenset({486, 600, 603})
_NO_ANSWER_STATUSES = frozenset({408, 480, 487})


@dataclass(frozen=True)
class TransferResult:
    """How a transfer (or a warm transfer's call to the person) went."""

    outcome: TransferOutcome
    reason: str | None = None  # `sip_<status>`, `ringing_timeout`; None when transferred

    @property
    def transferred(self) -> bool:
        return self.outcome is TransferOutcome.TRANSFERRED


# What the person's side answered, by SIP status (RFC 3261 final responses).
_TRANSFER_BUSY = frozenset({486, 600})
_TRANSFER_NO_ANSWER = frozenset({408, 480, 487})
_TRANSFER_DECLINED = frozenset({603, 607, 608})
# How much longer than the person may ring LiveKit waits for the end of a transfer: Twilio
# first fetches our referUrl, then rings for the <Dial>'s timeout, then NOTIFYs LiveKit.
TRANSFER_MARGIN_SECONDS = 5.0


def transfer_result(
    sip_status: int | None, *, transfer_reason: str | None = None
) -> TransferResult:
    """A transfer that did not complete, from the SIP status the far end answered."""
    if sip_status in _TRANSFER_BUSY:
        return TransferResult(TransferOutcome.BUSY, f"sip_{sip_status}")
    if sip_status in _TRANSFER_NO_ANSWER:
        return TransferResult(TransferOutcome.NO_ANSWER, f"sip_{sip_status}")
    if sip_status in _TRANSFER_DECLINED:
        return TransferResult(TransferOutcome.DECLINED, f"sip_{sip_status}")
    if sip_status:
        return TransferResult(TransferOutcome.FAILED, f"sip_{sip_status}")
    if transfer_reason == "STR_RINGING_TIMEOUT":
        return TransferResult(TransferOutcome.NO_ANSWER, "ringing_timeout")
    return TransferResult(TransferOutcome.FAILED, (transfer_reason or "unknown").lower())


def consultation_room(room: str) -> str:
    """The warm-transfer room of a call's room. It does not start with `call-`, so LiveKit's
    webhooks about it are never taken for the call's own."""
    return f"transfer-{room}"


class RoomService(Protocol):
    async def create_room(self, *, name: str, metadata: dict[str, Any], max_duration: int) -> None:
        """Create the call's room with an explicit dispatch of our worker."""

    async def dial_out(
        self,
        *,
        room: str,
        to_number: str,
        from_number: str,
        identity: str,
        ringing_timeout: float,
    ) -> None:
        """Call `to_number` from `from_number` through the outbound SIP trunk into the room;
        returns once the callee answered. Raises DialOutFailed when they did not (busy, no
        answer within `ringing_timeout` seconds, refused), TelephonyUnavailable when LiveKit
        could not be asked."""

    async def transfer(
        self, *, room: str, identity: str, transfer_to: str, ringing_timeout: float
    ) -> TransferResult:
        """Hand a SIP participant over to a number or SIP URI (SIP REFER); returns once the
        far end took the call or did not (busy, no answer within `ringing_timeout` seconds,
        declined, refused). Raises TelephonyUnavailable when LiveKit could not be asked."""

    async def create_consultation_room(self, *, name: str) -> None:
        """A room for a warm transfer's briefing: nobody is dispatched to it."""

    async def move_participant(self, *, room: str, identity: str, destination: str) -> None:
        """Move a participant, their call unchanged, into another room."""

    async def delete_room(self, *, name: str) -> None:
        """Remove the room (and so hang up everyone in it)."""


class LiveKitRooms:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        # One client (and so one HTTP connection pool) for the process, made on first use
        # inside the running loop: a new one per call costs a TLS handshake every time.
        self._shared: api.LiveKitAPI | None = None

    async def aclose(self) -> None:
        if self._shared is not None:
            await self._shared.aclose()
            self._shared = None

    def _client(self) -> api.LiveKitAPI:
        if self._shared is not None:
            return self._shared
        from livekit import api

        settings = self.settings
        if not (settings.livekit_url and settings.livekit_api_key and settings.livekit_api_secret):
            raise TelephonyUnavailable(
                "LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET are not set"
            )
        self._shared = api.LiveKitAPI(
            url=settings.livekit_url,
            api_key=settings.livekit_api_key,
            api_secret=settings.livekit_api_secret.get_secret_value(),
        )
        return self._shared

    async def create_room(self, *, name: str, metadata: dict[str, Any], max_duration: int) -> None:
        from livekit import api

        text = json.dumps(metadata, separators=(",", ":"))
        request = api.CreateRoomRequest(
            name=name,
            metadata=text,
            empty_timeout=self.settings.livekit_room_empty_timeout_seconds,
            departure_timeout=self.settings.livekit_room_departure_timeout_seconds,
            agents=[
                api.RoomAgentDispatch(agent_name=self.settings.livekit_agent_name, metadata=text)
            ],
        )
        await self._call(lambda client: client.room.create_room(request))

    async def dial_out(
        self,
        *,
        room: str,
        to_number: str,
        from_number: str,
        identity: str,
        ringing_timeout: float,
    ) -> None:
        from livekit import api

        if not self.settings.livekit_sip_outbound_trunk_id:
            raise TelephonyUnavailable("LIVEKIT_SIP_OUTBOUND_TRUNK_ID is not set")
        request = api.CreateSIPParticipantRequest(
            sip_trunk_id=self.settings.livekit_sip_outbound_trunk_id,
            sip_call_to=to_number,
            # The caller ID: without it LiveKit picks any number of the trunk.
            sip_number=from_number,
            room_name=room,
            participant_identity=identity,
            participant_name="Callee",
            krisp_enabled=True,
            # Answered only when the callee picks up (`sip.callStatus` becomes `active`), or
            # failed with the far end's SIP status (https://docs.livekit.io/sip/outbound-calls/).
            wait_until_answered=True,
        )
        request.ringing_timeout.FromTimedelta(timedelta(seconds=ringing_timeout))
        # The platform's backstop, as on the inbound trunk (`voiceagents livekit setup`).
        request.max_call_duration.FromTimedelta(
            timedelta(seconds=self.settings.livekit_sip_max_call_duration_seconds)
        )
        client = self._client()
        try:
            # Not under _TIMEOUT_SECONDS: the answer takes as long as the phone rings, and
            # livekit-api bounds the request by the ring window plus a margin itself.
            await client.sip.create_sip_participant(request)
        except Exception as error:  # SIP failures, Twirp errors, aiohttp errors, timeouts
            raise _dial_failure(error) from None

    async def transfer(
        self, *, room: str, identity: str, transfer_to: str, ringing_timeout: float
    ) -> TransferResult:
        from livekit import api

        target = transfer_to if transfer_to.startswith("sip:") else f"tel:{transfer_to}"
        request = api.TransferSIPParticipantRequest(
            room_name=room, participant_identity=identity, transfer_to=target, play_dialtone=True
        )
        request.ringing_timeout.FromTimedelta(
            timedelta(seconds=ringing_timeout + TRANSFER_MARGIN_SECONDS)
        )
        client = self._client()
        try:
            # Not under _TIMEOUT_SECONDS: the answer comes when the person picked up or did
            # not, and livekit-api bounds the request by the ring window plus a margin itself
            # (api/_dial_timeout.py).
            response = await client.sip.transfer_sip_participant(request)
        except api.SipCallError as error:  # the far end refused the REFER or the call
            return transfer_result(error.sip_status_code, transfer_reason=error.sip_transfer_reason)
        except Exception as error:  # Twirp errors, aiohttp errors, timeouts alike
            raise TelephonyUnavailable(f"{type(error).__name__}: {str(error)[:200]}") from None
        # Some failures are reported in the answer rather than raised (livekit-api:
        # "a status other than successful means the transfer did not complete").
        if response.status == api.SIPTransferStatus.STS_TRANSFER_FAILED:
            return transfer_result(
                response.sip_status.code or None,
                transfer_reason=api.SIPTransferReason.Name(response.reason),
            )
        return TransferResult(TransferOutcome.TRANSFERRED)

    async def create_consultation_room(self, *, name: str) -> None:
        from livekit import api

        # No agents: LiveKit dispatches ours by name only, and this room needs none; the
        # worker briefs the person itself. It closes soon once the person left.
        request = api.CreateRoomRequest(
            name=name,
            empty_timeout=self.settings.livekit_room_empty_timeout_seconds,
            departure_timeout=self.settings.livekit_consultation_room_departure_timeout_seconds,
        )
        await self._call(lambda client: client.room.create_room(request))

    async def move_participant(self, *, room: str, identity: str, destination: str) -> None:
        from livekit import api

        request = api.MoveParticipantRequest(
            room=room, identity=identity, destination_room=destination
        )
        await self._call(lambda client: client.room.move_participant(request))

    async def delete_room(self, *, name: str) -> None:
        from livekit import api

        await self._call(lambda client: client.room.delete_room(api.DeleteRoomRequest(room=name)))

    async def _call(self, operation: Callable[[api.LiveKitAPI], Awaitable[_Result]]) -> _Result:
        client = self._client()
        try:
            return await asyncio.wait_for(operation(client), timeout=_TIMEOUT_SECONDS)
        except TelephonyUnavailable:
            raise
        except Exception as error:  # Twirp errors, aiohttp errors, timeouts alike
            raise TelephonyUnavailable(f"{type(error).__name__}: {str(error)[:200]}") from None


def _dial_failure(error: Exception) -> DialOutFailed | TelephonyUnavailable:
    """What a failed CreateSIPParticipant (wait_until_answered) means for the call."""
    status = getattr(error, "sip_status_code", None)  # livekit-api's SipCallError
    if isinstance(status, int):
        if status in _BUSY_STATUSES:
            return DialOutFailed(DialOutcome.BUSY, f"sip_{status}", status)
        if status in _NO_ANSWER_STATUSES:
            return DialOutFailed(DialOutcome.NO_ANSWER, f"sip_{status}", status)
        return DialOutFailed(DialOutcome.FAILED, f"sip_{status}", status)
    if getattr(error, "code", None) == "canceled":
        # LiveKit's own ring window ended (or the room closed) before an answer; it reports
        # no SIP status then (livekit/sip pkg/sip/outbound.go, "sip request timed out").
        return DialOutFailed(DialOutcome.NO_ANSWER, "ringing_timeout", None)
    return TelephonyUnavailable(f"{type(error).__name__}: {str(error)[:200]}")
