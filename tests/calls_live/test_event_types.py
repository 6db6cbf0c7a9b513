"""Every call event type, generated from the enum: a typed payload that reads what was
stored, one GraphQL object type, and fields a client selects with fragments over HTTP and
over the WebSocket. A new member of CallEventType fails here until it has all of them."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from functools import cache

import pytest
from graphql import GraphQLObjectType, GraphQLSchema, build_schema

from core.analysis.result import (
    AnalysisResult,
    AnalysisStatus,
    CriterionResult,
    EvaluationKind,
    SuccessEvaluation,
)
from core.call_events import (
    Analyzed,
    CallDirection,
    CallEventPayload,
    CallEventType,
    CallField,
    CallStatus,
    Ended,
    Speaker,
    Started,
    StatusChanged,
    StatusSource,
    ToolInvoked,
    ToolOutcome,
    TranscriptSegment,
    Transfer,
    TransferBriefing,
    TransferMode,
    TransferOutcome,
    TransferStarted,
    Updated,
    decode,
    payload_class,
)
from core.events import Event
from core.services import calls
from graphql_api.calls.events import OBJECT_TYPES
from graphql_api.schema import schema_sdl
from tests.calls_live.conftest import LiveServer
from tests.support.graphql import error_codes
from tests.support.ids import global_id
from tests.support.operations import CALL_TIMELINE
from tests.support.websocket import graphql_socket

# One of each, with every optional field set.
SAMPLES: dict[CallEventType, CallEventPayload] = {
    CallEventType.STATUS_CHANGED: StatusChanged(
        status=CallStatus.IN_PROGRESS,
        previous_status=CallStatus.RINGING,
        source=StatusSource.LIVEKIT,
        reason="answered",
    ),
    CallEventType.TRANSCRIPT_SEGMENT: TranscriptSegment(speaker=Speaker.AGENT, text="Hello!"),
    CallEventType.TOOL_INVOKED: ToolInvoked(
        function="calendar_check_availability",
        arguments={"day": "2099-03-02", "nested": {"token": "[redacted]"}},
        outcome=ToolOutcome.TIMEOUT,
        latency_ms=8000,
        message="That is taking too long.",
    ),
    CallEventType.TRANSFER: Transfer(
        transfer_to="sip:desk@example.com",
        outcome=TransferOutcome.FAILED,
        reason="telephony_error",
        mode=TransferMode.WARM,
    ),
    CallEventType.TRANSFER_STARTED: TransferStarted(
        transfer_to="+14155550199", mode=TransferMode.COLD
    ),
    CallEventType.TRANSFER_BRIEFING: TransferBriefing(
        transfer_to="+14155550199", summary="Grace Hopper wants to move her Monday visit."
    ),
    CallEventType.ENDED: Ended(status=CallStatus.BUSY, reason="twilio_busy", duration_seconds=0),
    CallEventType.UPDATED: Updated(
        changed_fields=(CallField.DURATION_SECONDS,),
        source=StatusSource.TWILIO,
        duration_seconds=61,
        previous_duration_seconds=58,
    ),
    CallEventType.STARTED: Started(
        direction=CallDirection.OUTBOUND,
        from_number="+14155550100",
        to_number="+14155550199",
        source=StatusSource.WORKER,
    ),
    CallEventType.ANALYZED: Analyzed(
        result=AnalysisResult(
            status=AnalysisStatus.COMPLETED,
            summary="Grace Hopper booked a check-up for Monday.",
            success_evaluation=SuccessEvaluation(
                kind=EvaluationKind.CRITERIA,
                criteria=(CriterionResult(criterion="Booked", passed=True),),
            ),
            structured_data={"caller_name": "Grace Hopper", "day": "monday"},
            model="gemini-2.5-flash",
            latency_ms=840,
            attempts=2,
            completed_at=datetime(2099, 3, 2, 9, 31, tzinfo=UTC),
        )
    ),
}

# What each sample looks like to a client selecting every field (tests/support/operations.py).
EXPECTED_FIELDS: dict[CallEventType, dict] = {
    CallEventType.STATUS_CHANGED: {
        "status": "IN_PROGRESS",
        "previousStatus": "RINGING",
        "source": "LIVEKIT",
        "reason": "answered",
    },
    CallEventType.TRANSCRIPT_SEGMENT: {"speaker": "AGENT", "text": "Hello!"},
    CallEventType.TOOL_INVOKED: {
        "function": "calendar_check_availability",
        "arguments": {"day": "2099-03-02", "nested": {"token": "[redacted]"}},
        "outcome": "TIMEOUT",
        "latencyMs": 8000,
        "message": "That is taking too long.",
    },
    CallEventType.TRANSFER: {
        "transferTo": "sip:desk@example.com",
        "transferOutcome": "FAILED",
        "reason": "telephony_error",
        "mode": "WARM",
    },
    CallEventType.TRANSFER_STARTED: {"transferTo": "+14155550199", "mode": "COLD"},
    CallEventType.TRANSFER_BRIEFING: {
        "transferTo": "+14155550199",
        "summary": "Grace Hopper wants to move her Monday visit.",
    },
    CallEventType.ENDED: {"status": "BUSY", "reason": "twilio_busy", "durationSeconds": 0},
    CallEventType.UPDATED: {
        "changedFields": ["DURATION_SECONDS"],
        "source": "TWILIO",
        "durationSeconds": 61,
        "previousDurationSeconds": 58,
    },
    CallEventType.STARTED: {
        "direction": "OUTBOUND",
        "fromNumber": "+14155550100",
        "toNumber": "+14155550199",
        "source": "WORKER",
    },
    CallEventType.ANALYZED: {
        "analysis": {
            "status": "COMPLETED",
            "summary": "Grace Hopper booked a check-up for Monday.",
            "successEvaluation": {
                "kind": "CRITERIA",
                "passed": None,
                "score": None,
                "criteria": [{"criterion": "Booked", "passed": True}],
            },
            "structuredData": {"caller_name": "Grace Hopper", "day": "monday"},
            "model": "gemini-2.5-flash",
            "latencyMs": 840,
            "error": None,
            "attempts": 2,
            "completedAt": "2099-03-02T09:31:00+00:00",
        }
    },
}

# Rows as the first release wrote them (before payloads were typed): they must still read.
STORED_BEFORE_V1 = [
    ("call.status_changed", {"from": None, "to": "ringing", "source": "twilio"}),
    (
        "call.status_changed",
        {"from": "ringing", "to": "completed", "source": "livekit", "reason": "room_closed"},
    ),
    ("call.transcript", {"speaker": "caller", "text": "Hi"}),
    (
        "call.tool_invoked",
        {
            "function": "lookup",
            "arguments": {"id": 1},
            "outcome": "ok",
            "latency_ms": 12,
            "message": None,
        },
    ),
    ("call.transfer", {"to": "+14155550100", "outcome": "transferred", "reason": None}),
    ("call.ended", {"status": "completed", "reason": "room_closed", "duration_seconds": 42}),
]

TRANSCRIPT_ONLY = """
query Transcript($id: ID!) {
  call(id: $id) { timeline { __typename ... on CallTranscriptSegment { speaker text } } }
}
"""

TRANSCRIPT_STREAM = """
subscription Transcript($callId: ID!) {
  callEvents(callId: $callId) { seq ... on CallTranscriptSegment { speaker text } }
}
"""

NODE = """
query Node($id: ID!) { node(id: $id) { __typename id ... on CallEvent { seq type } } }
"""


@cache
def _published_schema() -> GraphQLSchema:
    return build_schema(schema_sdl())


def test_there_is_a_sample_of_every_event_type():
    # then: a new type needs a sample here (and so a payload and an object type)
    assert set(SAMPLES) == set(CallEventType) == set(EXPECTED_FIELDS)


@pytest.mark.parametrize("event_type", list(CallEventType))
def test_every_event_type_has_one_payload_class_and_one_object_type(event_type: CallEventType):
    # given
    schema = _published_schema()
    implementations = {t.name for t in schema.get_possible_types(schema.type_map["CallEvent"])}

    # when
    object_type = OBJECT_TYPES.get(event_type)

    # then
    assert type(SAMPLES[event_type]) is payload_class(event_type)
    assert object_type is not None, f"{event_type!r} has no GraphQL object type"
    assert [t for t in OBJECT_TYPES.values() if t is object_type] == [object_type]
    assert object_type.__name__ in implementations
    assert isinstance(schema.type_map[object_type.__name__], GraphQLObjectType)
    assert len(implementations) == len(CallEventType)
    assert event_type.name in schema.type_map["CallEventType"].values  # type: ignore[union-attr]


@pytest.mark.parametrize("event_type", list(CallEventType))
def test_every_payload_travels_in_the_envelope_unchanged(event_type: CallEventType):
    # given
    event = Event(
        organization_id=uuid.uuid4(),
        call_id=uuid.uuid4(),
        seq=3,
        payload=SAMPLES[event_type],
        occurred_at=datetime(2099, 3, 2, 9, 30, tzinfo=UTC),
    )

    # when
    wire = event.to_json()

    # then: the wire is the envelope of the design, and reads back as it was
    assert json.loads(wire)["type"] == event_type.value
    assert json.loads(wire)["data"] == SAMPLES[event_type].to_data()
    assert Event.from_json(wire) == event


@pytest.mark.parametrize(("stored_type", "data"), STORED_BEFORE_V1)
def test_rows_written_before_typed_events_still_read(stored_type: str, data: dict):
    # when
    payload = decode(stored_type, data)

    # then: and they would be written back the same
    assert payload.event_type.value == stored_type
    assert {k: v for k, v in payload.to_data().items() if v is not None} == {
        k: v for k, v in data.items() if v is not None
    }


@pytest.mark.parametrize(
    ("stored_type", "data"),
    [
        ("call.exploded", {}),
        ("call.transcript", {"speaker": "narrator", "text": "x"}),
        ("call.status_changed", {"to": "ringing"}),
        ("call.status_changed", ["to", "ringing"]),
        (
            "call.tool_invoked",
            {"function": "f", "arguments": "x", "outcome": "ok", "latency_ms": 1},
        ),
    ],
)
def test_what_is_not_an_event_is_refused(stored_type: str, data: object):
    # then: the bus drops such a message (it catches these errors)
    with pytest.raises((ValueError, KeyError, TypeError)):
        decode(stored_type, data)


async def test_every_event_type_reads_back_over_http_with_its_fields(gql, make):
    # given: a call with one event of each type
    tenant = await make.tenant()
    call = await make.call(tenant)
    for payload in SAMPLES.values():
        await calls.record_event(call_id=call.id, payload=payload, bus=None)

    # when
    data = await gql.data(CALL_TIMELINE, {"id": global_id("Call", call.id)}, token=tenant.token)

    # then
    timeline = data["call"]["timeline"]
    assert [event["seq"] for event in timeline] == list(range(1, len(SAMPLES) + 1))
    for event, event_type in zip(timeline, SAMPLES, strict=True):
        assert event["__typename"] == OBJECT_TYPES[event_type].__name__
        assert event["type"] == event_type.name
        specific = {k: v for k, v in event.items() if k not in ("__typename", "id", "seq", "type")}
        specific.pop("occurredAt")
        assert specific == EXPECTED_FIELDS[event_type], event_type

    # and each is a node, under its own type's name
    for event in timeline:
        node = (await gql.data(NODE, {"id": event["id"]}, token=tenant.token))["node"]
        assert node == {k: event[k] for k in ("__typename", "id", "seq", "type")}


async def test_an_id_naming_another_event_type_finds_nothing(gql, make):
    # given
    tenant = await make.tenant()
    call = await make.call(tenant)
    event = await calls.record_event(
        call_id=call.id, payload=SAMPLES[CallEventType.TRANSCRIPT_SEGMENT], bus=None
    )
    assert event is not None

    # when
    body = await gql.execute(NODE, {"id": global_id("CallEnded", event.id)}, token=tenant.token)

    # then: exactly as a missing event
    assert body["data"] == {"node": None}
    assert error_codes(body) == ["NOT_FOUND"]


async def test_a_client_selects_transcript_fields_over_http(gql, make):
    # given
    tenant = await make.tenant()
    call = await make.call(tenant)
    await calls.apply_status(
        call_id=call.id, status=CallStatus.IN_PROGRESS, source=StatusSource.LIVEKIT, bus=None
    )
    await calls.record_event(
        call_id=call.id, payload=TranscriptSegment(speaker=Speaker.CALLER, text="Hi"), bus=None
    )

    # when
    data = await gql.data(TRANSCRIPT_ONLY, {"id": global_id("Call", call.id)}, token=tenant.token)

    # then: other kinds answer only what the selection asks of every event
    assert data["call"]["timeline"] == [
        {"__typename": "CallStatusChanged"},
        {"__typename": "CallStarted"},
        {"__typename": "CallTranscriptSegment", "speaker": "CALLER", "text": "Hi"},
    ]


async def test_a_client_selects_transcript_fields_over_the_websocket(make, live: LiveServer):
    # given
    tenant = await make.tenant()
    call = await make.call(tenant)
    await calls.apply_status(
        call_id=call.id, status=CallStatus.IN_PROGRESS, source=StatusSource.LIVEKIT, bus=None
    )

    async with graphql_socket(live.ws_url, tenant.token) as socket:
        await socket.subscribe("1", TRANSCRIPT_STREAM, {"callId": global_id("Call", call.id)})
        replayed = [await socket.data("1", "callEvents") for _ in range(2)]

        # when
        await calls.record_event(
            call_id=call.id,
            payload=TranscriptSegment(speaker=Speaker.AGENT, text="How can I help?"),
            bus=live.buses.writer,
        )
        live_event = await socket.data("1", "callEvents")

    # then: the status change and the start (other kinds) answer only `seq`
    assert replayed == [{"seq": 1}, {"seq": 2}]
    assert live_event == {"seq": 3, "speaker": "AGENT", "text": "How can I help?"}
