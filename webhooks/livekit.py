"""LiveKit webhooks: room and participant events move calls along.

Verified with livekit-api's WebhookReceiver (a JWT signed with our API secret
that carries the body's SHA-256 and expires): anything else gets 401.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from core.call_events import CallStatus, StatusSource
from core.events import EventBus
from core.services import calls
from core.settings import Settings

if TYPE_CHECKING:
    from livekit import api

log = logging.getLogger(__name__)
# The most this endpoint reads; the app enforces it while the body streams in.
MAX_BODY_BYTES = 256 * 1024


def livekit_webhook(settings: Settings, bus: EventBus) -> Callable[[Request], Awaitable[Response]]:
    async def receive(request: Request) -> Response:
        from livekit import api  # ~40 MB with aiohttp and protobuf: loaded on first use

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
        is_sip = event.participant.kind == api.ParticipantInfo.Kind.SIP
        if event.event == "participant_joined" and is_sip:
            await calls.apply_status(
                call_id=call_id, status=CallStatus.IN_PROGRESS, source=StatusSource.LIVEKIT, bus=bus
            )
        elif event.event == "participant_left" and is_sip:
            await calls.apply_status(
                call_id=call_id,
                status=CallStatus.COMPLETED,
                source=StatusSource.LIVEKIT,
                reason="caller_hung_up",
                bus=bus,
            )
        elif event.event == "room_finished":
            await calls.apply_status(
                call_id=call_id,
                status=CallStatus.COMPLETED,
                source=StatusSource.LIVEKIT,
                reason="room_closed",
                bus=bus,
            )
        return Response(status_code=204)

    return receive


def _call_id(room: api.Room) -> uuid.UUID | None:
    try:
        return uuid.UUID(json.loads(room.metadata or "{}")["call_id"])
    except (ValueError, KeyError, TypeError):
        pass
    if room.name.startswith("call-"):
        try:
            return uuid.UUID(hex=room.name[5:])
        except ValueError:
            return None
    return None
