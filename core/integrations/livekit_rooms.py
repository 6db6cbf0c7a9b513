"""LiveKit server API (livekit-api only; never livekit.agents): rooms, dispatch, SIP.

livekit-api (~40 MB with aiohttp and protobuf) is imported when the process first
talks to LiveKit, not when it starts.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from core.settings import Settings

if TYPE_CHECKING:
    from livekit import api

_TIMEOUT_SECONDS = 8.0
_Result = TypeVar("_Result")


class TelephonyUnavailable(Exception):
    """LiveKit could not be reached or refused; the message is for logs and payloads."""


class RoomService(Protocol):
    async def create_room(self, *, name: str, metadata: dict[str, Any], max_duration: int) -> None:
        """Create the call's room with an explicit dispatch of our worker."""

    async def dial_out(self, *, room: str, to_number: str, identity: str) -> None:
        """Call a number through the outbound SIP trunk into the room."""

    async def transfer(self, *, room: str, identity: str, transfer_to: str) -> None:
        """Hand a SIP participant over to a number or SIP URI (SIP REFER)."""

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
            empty_timeout=60,
            departure_timeout=10,
            agents=[
                api.RoomAgentDispatch(agent_name=self.settings.livekit_agent_name, metadata=text)
            ],
        )
        await self._call(lambda client: client.room.create_room(request))

    async def dial_out(self, *, room: str, to_number: str, identity: str) -> None:
        from livekit import api

        if not self.settings.livekit_sip_outbound_trunk_id:
            raise TelephonyUnavailable("LIVEKIT_SIP_OUTBOUND_TRUNK_ID is not set")
        request = api.CreateSIPParticipantRequest(
            sip_trunk_id=self.settings.livekit_sip_outbound_trunk_id,
            sip_call_to=to_number,
            room_name=room,
            participant_identity=identity,
            participant_name="Callee",
            krisp_enabled=True,
            wait_until_answered=False,
        )
        await self._call(lambda client: client.sip.create_sip_participant(request))

    async def transfer(self, *, room: str, identity: str, transfer_to: str) -> None:
        from livekit import api

        target = transfer_to if transfer_to.startswith("sip:") else f"tel:{transfer_to}"
        request = api.TransferSIPParticipantRequest(
            room_name=room, participant_identity=identity, transfer_to=target, play_dialtone=True
        )
        response = await self._call(lambda client: client.sip.transfer_sip_participant(request))
        # Some failures are reported in the answer rather than raised (the far end refused).
        statuses = api.TransferSIPParticipantResponse.DESCRIPTOR.fields_by_name["status"].enum_type
        assert statuses is not None  # `status` is an enum field of the response
        failed = statuses.values_by_name["STS_TRANSFER_FAILED"].number
        if getattr(response, "status", None) == failed:
            raise TelephonyUnavailable(f"transfer failed (SIP {response.sip_status or 'unknown'})")

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
