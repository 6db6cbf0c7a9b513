"""What a partner webhook says about a call event: the event as the GraphQL schema shows it.

A call event's `data` is the JSON a subscription selecting every field of the event's object
type delivers (graphql_api/calls/events.py): `__typename`, the global `id`, `seq`,
`occurredAt`, `type`, each field of the payload under its camelCase name with enum values by
name, and `call` as `{"id": ...}` (the call as it is later is the API's to tell, not a body
written once). core may not import the GraphQL layer, so the few places where an object
type differs from its payload are written down here (`_RENAMED`, `_DEFAULTS`, `_SHAPED`), and
tests/partner_webhooks/test_payload_matches_subscription.py fails when the two disagree.

`call.ended` adds `report`: the end-of-call report (`end_of_call_report`).
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable, Mapping
from dataclasses import fields, is_dataclass
from datetime import datetime
from typing import Any

from core import global_ids
from core.call_events import (
    Analyzed,
    CallDirection,
    CallEventPayload,
    CallEventType,
    Speaker,
    ToolOutcome,
    TransferMode,
)
from core.events import Event
from orm.models import Call, CallEvent, CreditLedgerEntry

# Payload fields the object type shows under another name (`CallTransfer.transferOutcome`:
# `outcome` there would clash with `CallToolInvoked.outcome` in one selection).
_RENAMED: dict[tuple[CallEventType, str], str] = {
    (CallEventType.TRANSFER, "outcome"): "transferOutcome",
}
# Payload fields stored empty by older rows that the object type shows with a value.
_DEFAULTS: dict[tuple[CallEventType, str], Any] = {
    (CallEventType.TRANSFER, "mode"): TransferMode.COLD,
}


def typename(event_type: CallEventType) -> str:
    """The GraphQL object type of an event type: `call.tool_invoked` -> `CallToolInvoked`."""
    return "Call" + "".join(part.capitalize() for part in event_type.name.split("_"))


def event_data(event: Event) -> dict[str, Any]:
    """The event as a subscription selecting all of its fields (and `call { id }`) sees it."""
    name = typename(event.type)
    data: dict[str, Any] = {
        "__typename": name,
        "id": global_ids.encode(name, event.id),
        "seq": event.seq,
        "occurredAt": _value(event.occurred_at),
        "type": event.type.name,
        "call": {"id": global_ids.encode("Call", event.call_id)},
    }
    data.update(_SHAPED.get(event.type, _payload_fields)(event.payload))
    return data


def _payload_fields(payload: CallEventPayload) -> dict[str, Any]:
    shown: dict[str, Any] = {}
    for field in fields(payload):
        key = (payload.event_type, field.name)
        value = getattr(payload, field.name)
        if value is None:
            value = _DEFAULTS.get(key)
        shown[_RENAMED.get(key, camel_case(field.name))] = _value(value)
    return shown


def _analyzed(payload: CallEventPayload) -> dict[str, Any]:
    """`CallAnalyzed.analysis` (graphql_api/calls/analysis.py `from_result`): the result, an
    empty model as null, and no next attempt (the event records a finished analysis)."""
    assert isinstance(payload, Analyzed)
    shown: dict[str, Any] = _value(payload.result)
    shown.update(model=payload.result.model or None, nextAttemptAt=None)
    return {"analysis": shown}


# Event types whose object type is not the payload's fields under camelCase names.
_SHAPED: dict[CallEventType, Callable[[CallEventPayload], dict[str, Any]]] = {
    CallEventType.ANALYZED: _analyzed,
}


def camel_case(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _value(value: Any) -> Any:
    """A Python value as GraphQL serializes it: enums by name, datetimes in ISO 8601."""
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if is_dataclass(value) and not isinstance(value, type):
        return {camel_case(f.name): _value(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Mapping):
        return {str(key): _json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_value(item) for item in value]
    return value


def _json(value: Any) -> Any:
    """Inside a `JSON` scalar: the stored JSON as it is (keys are not renamed)."""
    if isinstance(value, Mapping):
        return {str(key): _json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json(item) for item in value]
    return value


# --- the end-of-call report -----------------------------------------------------------------

_CONVERSATION = (CallEventType.TRANSCRIPT_SEGMENT.value, CallEventType.TOOL_INVOKED.value)


async def end_of_call_report(call: Call) -> dict[str, Any]:
    """What a partner's system files about a call that ended, read in the transaction that
    ends it: who talked to whom, the transcript, the tool calls, how long and what it cost.

    The cost is the call's charge, written by metering in this same transaction
    (core/services/metering.py `charge_ended_call`), so it is final: 0 for a call nobody
    answered. A post-call analysis billed later is not in it (`call.analyzed` follows)."""
    rows = await CallEvent.filter(call_id=call.id, type__in=_CONVERSATION).order_by("seq")
    transcript: list[dict[str, Any]] = []
    tool_calls: list[dict[str, Any]] = []
    for row in rows:
        data = row.data or {}
        if row.type == CallEventType.TRANSCRIPT_SEGMENT.value:
            transcript.append(
                {
                    "speaker": Speaker(data["speaker"]).name,
                    "text": str(data["text"]),
                    "at": _value(row.occurred_at),
                }
            )
        else:
            tool_calls.append(
                {
                    "name": str(data["function"]),
                    "outcome": ToolOutcome(data["outcome"]).name,
                    "latencyMs": int(data["latency_ms"]),
                    "at": _value(row.occurred_at),
                }
            )
    charge = await CreditLedgerEntry.get_or_none(reference=f"call:{call.id}")
    return {
        "agentId": global_ids.encode("Agent", call.agent_id) if call.agent_id else None,
        "direction": CallDirection(call.direction).name,
        "fromNumber": call.from_number,
        "toNumber": call.to_number,
        "answeredAt": _value(call.answered_at),
        "endedAt": _value(call.ended_at),
        "durationSeconds": call.duration_seconds,
        "endedReason": call.ended_reason,
        "cost": {
            "credits": -charge.amount if charge is not None else 0,
            "billedSeconds": int((charge.data or {}).get("seconds", 0)) if charge else 0,
        },
        "transcript": transcript,
        "toolCalls": tool_calls,
    }
