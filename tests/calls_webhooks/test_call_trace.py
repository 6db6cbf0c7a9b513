"""One trace per call, from Twilio's webhook to the worker's end of the call, and the call
metrics (worker/tracing.py, core/telemetry.py).

The API is built with an exporter configured (OTEL_EXPORTER_OTLP_ENDPOINT), so its ASGI
middleware traces the webhook; the spans land in the SDK's in-memory exporter
(tests/support/telemetry.py), nothing is sent. The worker's job runs offline with the
scripted model, its dispatch metadata exactly what the API gave LiveKit.
"""

from __future__ import annotations

import json
import time
import uuid

import pytest
from livekit.agents.metrics import RealtimeModelMetrics
from livekit.agents.metrics.base import Metadata
from livekit.agents.voice.events import MetricsCollectedEvent
from opentelemetry.trace import SpanKind

from core import telemetry as core_telemetry
from core.settings import Settings
from orm.models import Call
from tests.support.scripted_llm import ScriptedLLM
from tests.support.telemetry import in_memory_telemetry
from tests.support.telephony import call_by_sid, telephony_app, voice_params
from tests.support.waiting import eventually
from tests.support.worker_job import running_job
from worker import tracing as worker_tracing
from worker.tracing import CallTrace

GREETING = "Hello, Trace Dental, this is Ada."
MODEL = "gemini-2.5-flash-native-audio-preview-12-2025"


def _total(points, **attributes) -> float:
    """The sum (counters) or count (histograms) of the points with these attributes."""
    total = 0.0
    for point in points:
        if all(point.attributes.get(key) == value for key, value in attributes.items()):
            total += getattr(point, "value", None) or getattr(point, "count", 0)
    return total


async def test_one_trace_spans_the_webhook_and_the_worker_job(make, server, livekit, monkeypatch):
    telemetry = in_memory_telemetry()
    telemetry.spans.clear()
    # given tracing configured by the standard variables (the providers are in memory)
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318")
    counts_before = (
        _total(telemetry.points("voiceagents.calls.started"), direction="inbound"),
        _total(telemetry.points("voiceagents.calls.ended"), status="completed"),
        _total(telemetry.points("voiceagents.call.tool.duration"), function="end_call"),
        _total(telemetry.points("voiceagents.call.greeting.delay")),
    )
    tenant = await make.tenant("Trace Dental", balance=1000)
    agent = await make.agent(tenant, phone_number=True, name="Ada", greeting=GREETING)

    async with telephony_app(server.settings, livekit) as telephony:
        # when Twilio delivers a call
        params = voice_params(agent.phone_number.e164)
        answer = await telephony.voice(params)
        assert answer.status_code == 200, answer.text
        call = await call_by_sid(params["CallSid"])
        assert call is not None

        # then the room's dispatch carries the trace context to the worker
        [create_room] = livekit.requests_for("CreateRoom")
        dispatch_metadata = create_room.message.agents[0].metadata  # type: ignore[union-attr]
        assert json.loads(dispatch_metadata)["traceparent"].startswith("00-")

        # when the worker takes the job: the model connects, greets, the caller says goodbye
        # and the agent ends the call with its tool
        model = ScriptedLLM([GREETING, [("end_call", {})], "(after hang-up)"])
        async with running_job(telephony.settings, metadata=dispatch_metadata, model=model) as job:
            await job.finished()
            session = (await job.prepared()).session
            # what the Gemini plugin reports once its realtime connection is up
            session.emit(
                "metrics_collected",
                MetricsCollectedEvent(
                    metrics=RealtimeModelMetrics(
                        request_id="",
                        timestamp=time.time(),
                        acquire_time=0.25,
                        input_token_details=RealtimeModelMetrics.InputTokenDetails(),
                        output_token_details=RealtimeModelMetrics.OutputTokenDetails(),
                        metadata=Metadata(model_name=MODEL, model_provider="google"),
                    )
                ),
            )
            await eventually(
                lambda: (
                    GREETING in [getattr(i, "text_content", None) for i in session.history.items]
                ),
                what="the greeting is said",
            )
            await session.run(user_input="That's all, thank you. Goodbye!")
            await eventually(lambda: _ended(call.id), what="the worker ends the call")
            await session.aclose()

    # then one trace holds the webhook, the room, the job, the model's connection, the
    # tool call and the end
    [webhook] = [
        span
        for span in telemetry.finished()
        if span.kind is SpanKind.SERVER
        and span.attributes is not None
        and span.attributes.get("http.target", span.attributes.get("url.path"))
        == "/webhooks/twilio/voice"
    ]
    spans = {span.name: span for span in telemetry.finished(webhook.context.trace_id)}
    assert {
        "call.open_room",
        "call.job",
        "call.model_connect",
        "call.tool end_call",
        "call.end",
        "agent_session",
    } <= set(spans), sorted(spans)
    assert spans["call.open_room"].parent.span_id == webhook.context.span_id  # type: ignore[union-attr]
    assert spans["call.job"].parent.span_id == spans["call.open_room"].context.span_id  # type: ignore[union-attr]
    for child in ("call.model_connect", "call.tool end_call", "call.end", "agent_session"):
        assert spans[child].parent.span_id == spans["call.job"].context.span_id, child  # type: ignore[union-attr]
    assert spans["call.end"].attributes == {
        "call.status": "completed",
        "call.ended_reason": "agent_ended",
    }
    assert spans["call.tool end_call"].attributes["call.tool.outcome"] == "ok"  # type: ignore[index]
    assert spans["call.model_connect"].attributes["gen_ai.request.model"] == MODEL  # type: ignore[index]
    assert spans["call.job"].attributes["call.id"] == str(call.id)  # type: ignore[index]

    # and the metrics counted the call, its tool and its greeting
    counts_after = (
        _total(telemetry.points("voiceagents.calls.started"), direction="inbound"),
        _total(telemetry.points("voiceagents.calls.ended"), status="completed"),
        _total(telemetry.points("voiceagents.call.tool.duration"), function="end_call"),
        _total(telemetry.points("voiceagents.call.greeting.delay")),
    )
    assert [after - before for before, after in zip(counts_before, counts_after)] == [1, 1, 1, 1]
    telemetry.spans.clear()


async def _ended(call_id) -> bool:
    return (await Call.get(id=call_id)).ended_reason == "agent_ended"


@pytest.mark.parametrize(
    "metadata",
    [
        "",
        "not json",
        '["a list"]',
        '{"call_id": "x", "traceparent": "00-garbage"}',
        '{"call_id": "x", "traceparent": 42}',
    ],
)
def test_a_job_without_a_usable_trace_context_starts_a_trace_of_its_own(metadata):
    # given
    telemetry = in_memory_telemetry()
    call_id = uuid.uuid4()

    # when
    call_trace = CallTrace.begin(metadata=metadata, call_id=call_id, job_id="AJ_x", room="r")
    call_trace.close("test")

    # then: a root span; a bad trace context is never a reason to refuse a call
    [span] = [s for s in telemetry.finished() if s.attributes.get("call.id") == str(call_id)]  # type: ignore[union-attr]
    assert span.parent is None


def test_no_trace_context_is_carried_when_tracing_is_off(monkeypatch):
    # given no exporter configured
    for name in (
        "OTEL_EXPORTER_OTLP_ENDPOINT",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
        "OTEL_TRACES_EXPORTER",
    ):
        monkeypatch.delenv(name, raising=False)
    in_memory_telemetry()

    # when a span is under way all the same
    with core_telemetry.tracer.start_as_current_span("call.open_room"):
        carried = core_telemetry.trace_context()

    # then the room's metadata stays as it was
    assert carried == {}
    assert worker_tracing.configure(Settings()) is False
