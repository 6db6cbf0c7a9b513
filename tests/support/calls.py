"""A call to stand a telephony test on, brought in the way Twilio and LiveKit bring one.

- `phone_agent(make, ...)`: an organization with credits, and its agent answering a number
  the organization owns.
- `incoming_call(make, telephony, ...)`: Twilio's signed voice webhook brings a call to such
  an agent: the call is `ringing`, its room created with the worker dispatched.
- `caller_joined(telephony, call)`: LiveKit's webhook says the caller's SIP line is in the
  room, answered (`sip.callStatus` `active`): the call is `in_progress`.
- `call_in_progress(make, telephony, ...)`: both.
- `participant_event(telephony, event, call, ...)`: any LiveKit participant webhook about
  the call's room, signed as LiveKit signs it.
- `record_end(call, status, reason, ...)`: a party records the call's end, as the worker
  (or Twilio, or LiveKit) does through `core.services.calls.apply_status`.

A test that needs the participants to be in the fake LiveKit's room itself (so that it
reports their departures) joins them there (`livekit.join`) with the fake's webhooks
delivered to the API (`livekit.webhook_sink = telephony.livekit_event`).
"""

from __future__ import annotations

from typing import Any

from core.call_events import CallStatus, StatusSource
from core.services import calls
from orm.models import Call, VoiceAgent
from tests.support.factories import Factories
from tests.support.telephony import (
    SIP,
    Telephony,
    livekit_authorization,
    livekit_event_body,
    start_call,
)

CALLER_IDENTITY = "sip-caller"


async def phone_agent(
    make: Factories, organization: str = "Calls Co", **agent_fields: Any
) -> VoiceAgent:
    """An agent of a new organization (1000 credits) that answers a number it owns."""
    tenant = await make.tenant(organization, balance=1000)
    return await make.agent(tenant, phone_number=True, **agent_fields)


async def incoming_call(
    make: Factories, telephony: Telephony, organization: str = "Calls Co", **agent_fields: Any
) -> Call:
    """A call Twilio brought to a new agent's number: ringing, its room open."""
    agent = await phone_agent(make, organization, **agent_fields)
    assert agent.phone_number is not None
    return await start_call(telephony, agent.phone_number.e164)


async def caller_joined(telephony: Telephony, call: Call) -> Call:
    """LiveKit reports the caller's answered SIP line in the call's room."""
    await participant_event(telephony, "participant_joined", call, SIP, identity=CALLER_IDENTITY)
    joined = await Call.get(id=call.id)
    assert joined.status == "in_progress", joined.status
    return joined


async def call_in_progress(
    make: Factories, telephony: Telephony, organization: str = "Calls Co", **agent_fields: Any
) -> Call:
    """A call Twilio brought in, its caller's line in the room: in progress."""
    return await caller_joined(
        telephony, await incoming_call(make, telephony, organization, **agent_fields)
    )


async def participant_event(
    telephony: Telephony,
    event: str,
    call: Call,
    kind: int,
    *,
    identity: str,
    room: str | None = None,
) -> None:
    """POST LiveKit's webhook `event` about a participant of `kind` in the call's room (or
    in `room`, which names the call in its metadata all the same); the API accepts it."""
    body = livekit_event_body(
        event,
        room=room or call.livekit_room or "",
        call_id=call.id,
        participant_kind=kind,
        identity=identity,
    )
    response = await telephony.livekit_event(body, livekit_authorization(body))
    assert response.status_code == 204, response.text


async def record_end(
    call: Call,
    status: CallStatus,
    reason: str,
    *,
    source: StatusSource = StatusSource.WORKER,
) -> None:
    """`source` records that the call ended with `status` and `reason`."""
    await calls.apply_status(call_id=call.id, status=status, source=source, reason=reason, bus=None)
