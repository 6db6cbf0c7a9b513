"""LiveKit webhooks: room and participant events move calls along.

Verified with livekit-api's WebhookReceiver (a JWT signed with our API secret
that carries the body's SHA-256 and expires): anything else gets 401.

Participants are told apart by the kind LiveKit reports
(https://docs.livekit.io/intro/basics/rooms-participants-tracks/webhooks-events/,
`ParticipantInfo.Kind`): `SIP` is the caller's line, `AGENT` the worker's participant
(the worker joins with an agent token). When one of them leaves, what that means is
decided LIVEKIT_DEPARTURE_GRACE_SECONDS later, in the background (LiveKit delivers a
room's webhooks one after the other, so the answer must not wait): the worker saw the
same departure and knows why it happened (a transfer makes the caller's line leave too;
its own shutdown makes its participant leave before it writes the end), so its record
comes first, and core.services.calls' ending rule settles whatever still arrives late.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from core import tenancy
from core.call_events import CallStatus, StatusSource
from core.events import EventBus
from core.integrations.livekit_rooms import RoomService
from core.services import calls
from core.settings import Settings

if TYPE_CHECKING:
    from livekit import api

log = logging.getLogger(__name__)
# The most this endpoint reads; the app enforces it while the body streams in.
MAX_BODY_BYTES = 256 * 1024


class LiveKitWebhook:
    """POST /webhooks/livekit (`receive`), and the departures it decides after the grace."""

    def __init__(self, settings: Settings, bus: EventBus, rooms: RoomService) -> None:
        self.settings = settings
        self.bus = bus
        self.rooms = rooms
        # Held so that they are not collected mid-way, and awaited when the app stops.
        self._departures: set[asyncio.Task[None]] = set()

    async def receive(self, request: Request) -> Response:
        from livekit import api  # ~40 MB with aiohttp and protobuf: loaded on first use

        settings = self.settings
        if not (settings.livekit_api_key and settings.livekit_api_secret):
            return PlainTextResponse("LiveKit is not configured.", status_code=401)
        body = await request.body()
        receiver = api.WebhookReceiver(
            api.TokenVerifier(
                settings.livekit_api_key, settings.livekit_api_secret.get_secret_value()
            )
        )
        try:
            event = receiver.receive(body.decode("utf-8"), request.headers.get("authorization", ""))
        except Exception:  # bad signature, stale token, body hash mismatch, malformed JSON
            return PlainTextResponse("Invalid webhook.", status_code=401)
        call_id = _call_id(event.room)
        if call_id is None:
            return Response(status_code=204)
        # The call's organization, and only it (the departures decided later keep it too).
        with tenancy.scoped(await tenancy.scope_of_call(call_id)):
            await self._apply(event, call_id)
        return Response(status_code=204)

    async def _apply(self, event: api.WebhookEvent, call_id: uuid.UUID) -> None:
        from livekit import api

        kind = event.participant.kind
        if (
            event.event == "participant_joined"
            and kind == api.ParticipantInfo.Kind.SIP
            # Answered, not merely joined: a dialled callee joins while its phone rings,
            # and a caller joins before LiveKit picks up (`sip.callStatus` is `dialing` or
            # `ringing` then; https://docs.livekit.io/sip/sip-participant/).
            and event.participant.attributes.get("sip.callStatus") == "active"
        ):
            await calls.apply_status(
                call_id=call_id,
                status=CallStatus.IN_PROGRESS,
                source=StatusSource.LIVEKIT,
                bus=self.bus,
            )
        elif event.event == "participant_left" and kind in (
            api.ParticipantInfo.Kind.SIP,
            api.ParticipantInfo.Kind.AGENT,
        ):
            self._decide_later(
                call_id,
                room=event.room.name,
                worker=kind == api.ParticipantInfo.Kind.AGENT,
                identity=event.participant.identity,
            )
        elif event.event == "room_finished":
            await calls.apply_status(
                call_id=call_id,
                status=CallStatus.COMPLETED,
                source=StatusSource.LIVEKIT,
                reason="room_closed",
                bus=self.bus,
            )

    def _decide_later(self, call_id: uuid.UUID, *, room: str, worker: bool, identity: str) -> None:
        task = asyncio.create_task(
            self._decide(call_id, room=room, worker=worker, identity=identity)
        )
        self._departures.add(task)
        task.add_done_callback(self._departures.discard)

    async def _decide(self, call_id: uuid.UUID, *, room: str, worker: bool, identity: str) -> None:
        await asyncio.sleep(self.settings.livekit_departure_grace_seconds)
        try:
            if worker:
                await calls.worker_left(call_id=call_id, room=room, rooms=self.rooms, bus=self.bus)
            else:
                await calls.apply_status(
                    call_id=call_id,
                    status=CallStatus.COMPLETED,
                    source=StatusSource.LIVEKIT,
                    reason="caller_hung_up",
                    bus=self.bus,
                )
        except Exception:  # the janitor and Twilio's status callback end the call otherwise
            log.exception("could not decide a LiveKit departure", extra={"call_id": str(call_id)})
            return
        log.info(
            "LiveKit departure decided",
            extra={
                "call_id": str(call_id),
                "room": room,
                "participant": "worker" if worker else "caller",
                "identity": identity,
            },
        )

    async def aclose(self) -> None:
        """Decide the departures still waiting out their grace before the process stops."""
        if self._departures:
            await asyncio.gather(*self._departures, return_exceptions=True)


def _call_id(room: api.Room) -> uuid.UUID | None:
    try:
        return uuid.UUID(json.loads(room.metadata or "{}")["call_id"])
    except (ValueError, KeyError, TypeError, AttributeError):  # not a call's metadata
        pass
    if room.name.startswith("call-"):
        try:
            return uuid.UUID(hex=room.name[5:])
        except ValueError:
            return None
    return None
