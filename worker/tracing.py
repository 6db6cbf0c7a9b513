"""OpenTelemetry in the worker: each job continues its call's trace, and measures the call.

One trace per call, from the webhook to the end:

    POST /webhooks/twilio/voice  (API: ASGI middleware)    or a callCreate operation
      call.open_room              (API: core/services/calls.py; its W3C context goes into
        |                          the room's and the dispatch's metadata)
        call.job                  (this job: `CallTrace.begin` reads that context)
          agent_session, session_start, agent_turn, function_tool, ...  (livekit-agents)
          call.model_connect      (a realtime model's connection, from what it reports)
          call.tool <function>    (each tool call: from the model's call to the tool's answer)
          call.end                (the record's end: status and reason)

livekit-agents' own spans nest under `call.job` because the job's span is current while
the session starts. Without OTEL_* configured nothing is exported and all of this costs a
few no-op calls.

Metrics (OTel metrics API; core/telemetry.py defines them): calls started and ended by
status (core/services/calls.py, wherever the call starts or ends), tool latency
(`voiceagents.call.tool.duration`) and time to greeting (`voiceagents.call.greeting.delay`,
from the job starting to the agent's first words).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
from collections.abc import Callable, Iterator
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import Link, SpanKind, Status, StatusCode

from core import telemetry
from core.call_events import CallStatus
from core.services.calls import TERMINAL
from core.settings import Settings

log = logging.getLogger(__name__)

# The traces of the calls this process runs now, so that the end of a call (written from a
# tool, the session's close or a shutdown callback, each in a context of its own) closes
# the right trace.
_running: dict[uuid.UUID, CallTrace] = {}


def configure(settings: Settings) -> bool:
    """Install the exporters in this job process (once), and hand the provider to
    livekit-agents, whose spans then carry the conversation and tool arguments only when
    TRACING_INCLUDE_CONVERSATION is on."""
    if not telemetry.configure("voiceagents-worker"):
        return False
    from livekit.agents import telemetry as livekit_telemetry

    livekit_telemetry.set_tracer_provider(
        trace.get_tracer_provider(), allow_pii=settings.tracing_include_conversation
    )
    return True


async def flush(reason: str = "") -> None:
    """At the job's shutdown (worker/entrypoint.py), once the calls of this process have
    ended, export what is buffered: the job process then exits without running exit
    handlers, and the batch exporters' next round would never come."""
    if _running:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(FLUSH_WAIT_SECONDS):
                await _idle().wait()
    await asyncio.to_thread(telemetry.flush)


# How long the flush at shutdown waits for the calls' ends before exporting anyway.
FLUSH_WAIT_SECONDS = 5.0
_idle_event: asyncio.Event | None = None


def _idle() -> asyncio.Event:
    """Set while this process traces no call."""
    global _idle_event
    if _idle_event is None:
        _idle_event = asyncio.Event()
    if not _running:
        _idle_event.set()
    return _idle_event


def _forget(call_id: uuid.UUID) -> None:
    _running.pop(call_id, None)
    if not _running and _idle_event is not None:
        _idle_event.set()


class CallTrace:
    """The job's span of one call, and what the job reports under it."""

    def __init__(self, span: trace.Span, call_id: uuid.UUID) -> None:
        self.span = span
        self.call_id = call_id
        self.context = trace.set_span_in_context(span)
        self.started = time.monotonic()
        self._greeted = False

    @classmethod
    def begin(cls, *, metadata: str, call_id: uuid.UUID, job_id: str, room: str) -> CallTrace:
        """The job's span, a child of the span that opened the call's room when the dispatch
        metadata carries its trace context, and linked to livekit-agents' own job span."""
        try:
            carrier = json.loads(metadata or "{}")
        except ValueError:
            carrier = {}
        parent = telemetry.parent_context(carrier if isinstance(carrier, dict) else {})
        livekit_job = trace.get_current_span().get_span_context()
        span = telemetry.tracer.start_span(
            "call.job",
            context=parent,
            kind=SpanKind.CONSUMER,
            attributes={"call.id": str(call_id), "livekit.job.id": job_id, "livekit.room": room},
            links=[Link(livekit_job)] if livekit_job.is_valid else None,
        )
        call_trace = cls(span, call_id)
        _running[call_id] = call_trace
        if _idle_event is not None:
            _idle_event.clear()
        return call_trace

    @contextlib.contextmanager
    def current(self) -> Iterator[None]:
        """Make the job's span current: what starts inside (the session, its tasks) is part of
        the call's trace."""
        with trace.use_span(self.span, end_on_exit=False):
            yield

    def make_current(self) -> Callable[[], None]:
        """Make the job's span current in this task (and so in the tasks it starts, the
        session's among them); returns what undoes it, to call in the same task."""
        token = otel_context.attach(self.context)
        return lambda: otel_context.detach(token)

    def close(self, note: str) -> None:
        """End the job's span without a call (the call is unknown or over already)."""
        self.span.add_event(note)
        self.span.end()
        _forget(self.call_id)

    def watch(self, session: Any) -> None:
        """Follow the session's events: the model's connection, each tool call, the
        greeting."""
        session.on("metrics_collected", self._on_metrics)
        session.on("function_tools_executed", self._on_tools)
        session.on("conversation_item_added", self._on_item)
        session.on("agent_state_changed", self._on_agent_state)

    def _on_metrics(self, event: Any) -> None:
        from livekit.agents.metrics import RealtimeModelMetrics

        metrics = event.metrics
        # A realtime model reports its connection as metrics without a request, with the
        # time it took to connect (livekit-agents' `_report_connection_acquired`).
        if not isinstance(metrics, RealtimeModelMetrics) or metrics.request_id:
            return
        if metrics.acquire_time <= 0:
            return
        ended = time.time_ns()
        span = telemetry.tracer.start_span(
            "call.model_connect",
            context=self.context,
            start_time=ended - int(metrics.acquire_time * 1e9),
            attributes={
                "gen_ai.request.model": metrics.metadata.model_name if metrics.metadata else "",
                "call.model.connection_reused": metrics.connection_reused,
            },
        )
        span.end(end_time=ended)

    def _on_tools(self, event: Any) -> None:
        for call, output in zip(event.function_calls, event.function_call_outputs, strict=False):
            started, ended = call.created_at, max(output.created_at, call.created_at)
            outcome = "error" if output.is_error else "ok"
            span = telemetry.tracer.start_span(
                f"call.tool {call.name}",
                context=self.context,
                start_time=int(started * 1e9),
                attributes={"call.tool.function": call.name, "call.tool.outcome": outcome},
            )
            if output.is_error:
                span.set_status(Status(StatusCode.ERROR))
            span.end(end_time=int(ended * 1e9))
            telemetry.tool_duration.record(
                ended - started, {"function": call.name, "outcome": outcome}
            )

    def _on_item(self, event: Any) -> None:
        if getattr(event.item, "role", None) == "assistant":
            self._greeting_heard()

    def _on_agent_state(self, event: Any) -> None:
        if getattr(event, "new_state", None) == "speaking":
            self._greeting_heard()

    def _greeting_heard(self) -> None:
        if self._greeted:
            return
        self._greeted = True
        delay = time.monotonic() - self.started
        self.span.add_event("greeting", {"call.greeting.delay_s": delay})
        telemetry.greeting_delay.record(delay)

    @contextlib.contextmanager
    def ending(self, status: CallStatus, reason: str | None) -> Iterator[None]:
        """The span of writing the call's end; the job's span ends with it."""
        attributes = {"call.status": status.value, "call.ended_reason": reason or ""}
        with telemetry.tracer.start_as_current_span(
            "call.end", context=self.context, attributes=attributes
        ):
            yield
        self.span.set_attributes(attributes)
        if status is CallStatus.FAILED:
            self.span.set_status(Status(StatusCode.ERROR, reason))
        self.span.end()
        _forget(self.call_id)


@contextlib.contextmanager
def ending(call_id: uuid.UUID, status: CallStatus, reason: str | None) -> Iterator[None]:
    """Around the worker's write of a call's end (worker/recorder.py): the `call.end` span of
    the call's trace, when this process traces the call."""
    call_trace = _running.get(call_id)
    if call_trace is None or status not in TERMINAL:
        yield
        return
    with call_trace.ending(status, reason):
        yield
