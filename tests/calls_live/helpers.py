"""What the live call stream tests share beyond the harness: events to write or publish."""

from __future__ import annotations

import uuid
from typing import Any

from core import events
from core.events import Event, EventBus
from core.services import calls
from orm.models import Call


async def transcript(call: Call, text: str, bus: EventBus | None) -> Event:
    """A caller's turn recorded on the call; published on `bus` (None: recorded only, as a
    writer in another process that this bus cannot hear)."""
    event = await calls.record_event(
        call_id=call.id, type=events.CALL_TRANSCRIPT, data={"role": "caller", "text": text}, bus=bus
    )
    assert event is not None
    return event


def envelope(
    *,
    organization_id: uuid.UUID | None = None,
    call_id: uuid.UUID | None = None,
    seq: int = 1,
    type: str = events.CALL_TRANSCRIPT,
    data: dict[str, Any] | None = None,
) -> Event:
    """An event that is only published, never recorded (for the bus-only tests)."""
    return Event(
        type=type,
        organization_id=organization_id or uuid.uuid4(),
        call_id=call_id or uuid.uuid4(),
        seq=seq,
        data=data or {},
    )
