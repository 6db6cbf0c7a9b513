"""Call events in the schema: the `CallEvent` interface and one object type per event type.

Each object type names the core `CallEventType` it shows and has the fields of that type's
payload (core/call_events.py), under the same names, so one function turns any payload
into its object. tests/calls_live/test_event_types.py fails while an event type has no
object type here.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import fields
from datetime import datetime
from typing import Any, ClassVar

import strawberry
from strawberry.scalars import JSON

from core import call_events
from core.analysis.result import AnalysisResult
from core.call_events import CallEventPayload
from core.events import Event
from core.rbac import Permission
from graphql_api.calls.analysis import CallAnalysisType
from graphql_api.calls.enums import (
    CallEventType,
    CallField,
    CallStatus,
    CallStatusSource,
    ToolOutcome,
    TranscriptSpeaker,
    TransferMode,
    TransferOutcome,
)
from graphql_api.calls.types import CallDirection, CallType
from graphql_api.node import Node, NodeKind
from orm.models import Call
from orm.models import CallEvent as CallEventRow


@strawberry.interface(
    name="CallEvent",
    description="One entry of a call's timeline. Select the fields of each kind with "
    "fragments: `... on CallTranscriptSegment { speaker text }`.",
)
class CallEventNode(Node):
    # Read like the call's own timeline: `call:read` in the call's organization.
    node_kind = NodeKind("call_event", Permission.CALL_READ)
    event_type: ClassVar[call_events.CallEventType]

    seq: int = strawberry.field(description="Position in the call's timeline, from 1, no gaps.")
    occurred_at: datetime = strawberry.field(description="When it happened.")
    call_id: strawberry.Private[uuid.UUID]
    # The call when the reader already holds it (a timeline); otherwise read when asked for.
    call_model: strawberry.Private[Call | None] = None
    # How a live event reads it: once per event for every subscriber sharing its results
    # (graphql_api/fanout); None: here, for this execution.
    call_reader: strawberry.Private[Callable[[uuid.UUID], Awaitable[Call]] | None] = None

    @strawberry.field(description="Which kind of event this is.")
    def type(self) -> CallEventType:
        return self.event_type

    @classmethod
    def from_model(cls, row: CallEventRow) -> CallEventNode:
        # node(id): the loader reads the event with its call.
        return from_row(row, row.call)

    @strawberry.field(description="The call as it is now (status, timestamps).")
    async def call(self) -> CallType:
        call = self.call_model or await (self.call_reader or _read_call)(self.call_id)
        return CallType.from_model(call)


@strawberry.type(description="The call's status changed.")
class CallStatusChanged(CallEventNode):
    event_type = call_events.CallEventType.STATUS_CHANGED

    status: CallStatus = strawberry.field(description="The new status.")
    previous_status: CallStatus | None = strawberry.field(
        description="The status before; null for the call's first status."
    )
    source: CallStatusSource = strawberry.field(description="Who reported the change.")
    reason: str | None = strawberry.field(
        description="Why, when known: `caller_hung_up`, `agent_ended`, `max_duration`, "
        "`twilio_busy`, ..."
    )


@strawberry.type(
    description="The call was answered and the conversation begins; recorded once, after the "
    "`CallStatusChanged` to `IN_PROGRESS`."
)
class CallStarted(CallEventNode):
    event_type = call_events.CallEventType.STARTED

    direction: strawberry.Private[call_events.CallDirection]
    from_number: str = strawberry.field(description="The caller's number (E.164).")
    to_number: str = strawberry.field(description="The number called (E.164).")
    source: CallStatusSource = strawberry.field(description="Who reported the answer.")

    @strawberry.field(name="direction", description="Who placed the call.")
    def call_direction(self) -> CallDirection:
        return CallDirection(self.direction.value)


@strawberry.type(description="One turn of the conversation, as transcribed (secrets removed).")
class CallTranscriptSegment(CallEventNode):
    event_type = call_events.CallEventType.TRANSCRIPT_SEGMENT

    speaker: TranscriptSpeaker = strawberry.field(description="Who said it.")
    text: str = strawberry.field(description="What was said.")


@strawberry.type(description="The agent called one of its tool functions.")
class CallToolInvoked(CallEventNode):
    event_type = call_events.CallEventType.TOOL_INVOKED

    function: str = strawberry.field(description="The function's name.")
    arguments: JSON = strawberry.field(
        description="The arguments the model passed, as an object; secrets are replaced by "
        "`[redacted]`."
    )
    outcome: ToolOutcome = strawberry.field(description="How it went.")
    latency_ms: int = strawberry.field(description="How long it took, in milliseconds.")
    message: str | None = strawberry.field(
        description="What the agent was told when it failed; null when it answered."
    )


@strawberry.type(
    description="How a transfer to a person ended: the caller was handed over, or stays with "
    "the agent (busy, no answer, declined, failed)."
)
class CallTransfer(CallEventNode):
    event_type = call_events.CallEventType.TRANSFER

    transfer_to: str = strawberry.field(description="The phone number or `sip:` URI.")
    # Not `outcome`: CallToolInvoked.outcome has another enum, and one selection of both
    # fragments (`... on CallToolInvoked { outcome } ... on CallTransfer { outcome }`)
    # would not validate.
    outcome: TransferOutcome = strawberry.field(
        name="transferOutcome",
        description="Whether the caller was handed over, and if not, why not.",
    )
    reason: str | None = strawberry.field(
        description="Why it failed: the SIP status (`sip_486`, `sip_603`), `ringing_timeout`, "
        "`no_caller_line`, `telephony_error`, or the person's own words when they declined; "
        "null otherwise."
    )
    # Stored without one before warm transfers existed: those were all cold.
    mode: strawberry.Private[TransferMode | None] = None

    @strawberry.field(name="mode", description="Cold or warm.")
    def transfer_mode(self) -> TransferMode:
        return self.mode or TransferMode.COLD


@strawberry.type(
    description="The agent began to transfer the caller to a person; a `CallTransfer` "
    "follows with the outcome."
)
class CallTransferStarted(CallEventNode):
    event_type = call_events.CallEventType.TRANSFER_STARTED

    transfer_to: str = strawberry.field(description="The phone number or `sip:` URI.")
    mode: TransferMode = strawberry.field(description="Cold or warm.")


@strawberry.type(
    description="Warm transfer: the person answered and the agent briefs them while the "
    "caller holds."
)
class CallTransferBriefing(CallEventNode):
    event_type = call_events.CallEventType.TRANSFER_BRIEFING

    transfer_to: str = strawberry.field(description="The phone number or `sip:` URI.")
    summary: str = strawberry.field(
        description="What the agent tells the person about the call (secrets removed)."
    )


@strawberry.type(
    description="The call ended and was charged; the last event of `callEvents`, which "
    "completes after it."
)
class CallEnded(CallEventNode):
    event_type = call_events.CallEventType.ENDED

    status: CallStatus = strawberry.field(description="How it ended.")
    reason: str | None = strawberry.field(description="Why it ended, when known.")
    duration_seconds: int | None = strawberry.field(
        description="Seconds from answer to end (0 if never answered), as known at the end; "
        "a `CallUpdated` follows if a more precise value arrives."
    )


@strawberry.type(
    description="A detail of the call changed without a change of status, such as Twilio's "
    "own duration arriving after the end, or the reason of the end."
)
class CallUpdated(CallEventNode):
    event_type = call_events.CallEventType.UPDATED

    changed_fields: list[CallField] = strawberry.field(
        description="The fields of `Call` that changed."
    )
    source: CallStatusSource = strawberry.field(description="Who reported the change.")
    duration_seconds: int | None = strawberry.field(description="The call's duration now.")
    previous_duration_seconds: int | None = strawberry.field(
        description="The duration shown before."
    )
    ended_reason: str | None = strawberry.field(
        description="Why the call ended, now; it changes when the party that decided the end "
        "(the agent transferring, say) reports after an inference (`caller_hung_up`) was "
        "recorded."
    )
    previous_ended_reason: str | None = strawberry.field(description="The reason shown before.")


@strawberry.type(
    description="The post-call analysis finished: completed, or failed after its retries. It "
    "follows `CallEnded`, so it arrives on `organizationCallUpdates` (and partner webhooks), "
    "not on `callEvents`, which completes at `CallEnded`."
)
class CallAnalyzed(CallEventNode):
    event_type = call_events.CallEventType.ANALYZED

    result: strawberry.Private[AnalysisResult]

    @strawberry.field(description="The analysis as it was recorded (also `Call.analysis`).")
    def analysis(self) -> CallAnalysisType:
        return CallAnalysisType.from_result(self.result)


async def _read_call(call_id: uuid.UUID) -> Call:
    return await Call.get(id=call_id)


# Event type -> its object type; the test of event types checks that none is missing.
OBJECT_TYPES: Mapping[call_events.CallEventType, type[CallEventNode]] = {
    object_type.event_type: object_type for object_type in CallEventNode.__subclasses__()
}


def to_object(
    payload: CallEventPayload,
    *,
    event_id: uuid.UUID,
    call_id: uuid.UUID,
    seq: int,
    occurred_at: datetime,
    call: Call | None = None,
) -> CallEventNode:
    """The object type of the payload's event type, with the payload's fields."""
    values: dict[str, Any] = {field.name: getattr(payload, field.name) for field in fields(payload)}
    return OBJECT_TYPES[payload.event_type](
        id=str(event_id),
        seq=seq,
        occurred_at=occurred_at,
        call_id=call_id,
        call_model=call,
        **values,
    )


def from_event(event: Event) -> CallEventNode:
    """An event off the bus (or read back for a stream); `call` is read when asked for."""
    return to_object(
        event.payload,
        event_id=event.id,
        call_id=event.call_id,
        seq=event.seq,
        occurred_at=event.occurred_at,
    )


def from_row(row: CallEventRow, call: Call | None = None) -> CallEventNode:
    """A stored event."""
    return to_object(
        call_events.decode(row.type, row.data),
        event_id=row.id,
        call_id=row.call_id,
        seq=row.seq,
        occurred_at=row.occurred_at,
        call=call,
    )
