"""What the live call stream tests share beyond the harness: events to write or publish."""

from __future__ import annotations

import uuid

from core.call_events import CallEventPayload, Speaker, TranscriptSegment
from core.events import Event, EventBus
from core.services import calls
from orm.models import Call


async def transcript(call: Call, text: str, bus: EventBus | None) -> Event:
    """A caller's turn recorded on the call; published on `bus` (None: recorded only, as a
    writer in another process that this bus cannot hear)."""
    event = await calls.record_event(
        call_id=call.id, payload=TranscriptSegment(speaker=Speaker.CALLER, text=text), bus=bus
    )
    assert event is not None
    return event


def envelope(
    *,
    organization_id: uuid.UUID | None = None,
    call_id: uuid.UUID | None = None,
    seq: int = 1,
    payload: CallEventPayload | None = None,
) -> Event:
    """An event that is only published, never recorded (for the bus-only tests)."""
    return Event(
        organization_id=organization_id or uuid.uuid4(),
        call_id=call_id or uuid.uuid4(),
        seq=seq,
        payload=payload or TranscriptSegment(speaker=Speaker.CALLER, text="hello"),
    )
