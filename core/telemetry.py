"""OpenTelemetry for every process: one switch, the call metrics, and a call's trace context.

The switch is the standard OTEL_* environment: with an exporter configured
(OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or OTEL_TRACES_EXPORTER),
`configure` installs OTLP/HTTP exporters for traces and metrics (metrics unless
OTEL_METRICS_EXPORTER=none); without one nothing is installed and every span and
instrument below is a no-op.

A call's trace starts at the Twilio webhook (or the `callCreate` mutation) and continues
in the worker: the W3C trace context (`traceparent`, `tracestate`) of the span that opens
the call's room travels in the room's and the dispatch's metadata
(`trace_context` -> core.services.calls -> LiveKit -> worker/tracing.py `parent_context`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import metrics, trace
from opentelemetry.propagators.textmap import DefaultGetter
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

tracer = trace.get_tracer("voiceagents.calls")
meter = metrics.get_meter("voiceagents.calls")

# Instruments of the global meter: until a provider is installed they record nothing, and
# once one is they report to it (the API's proxies bind them then).
calls_started = meter.create_counter(
    "voiceagents.calls.started",
    unit="{call}",
    description="Calls recorded, by direction (refused calls included).",
)
calls_ended = meter.create_counter(
    "voiceagents.calls.ended",
    unit="{call}",
    description="Calls that ended, by direction and final status.",
)
tool_duration = meter.create_histogram(
    "voiceagents.call.tool.duration",
    unit="s",
    description="From the model's call of a tool function to the tool's answer, by function "
    "and outcome.",
)
greeting_delay = meter.create_histogram(
    "voiceagents.call.greeting.delay",
    unit="s",
    description="From the worker's job starting to the agent's first words (the greeting).",
)

# The carrier keys of the W3C trace context in a room's metadata.
TRACE_CONTEXT_KEYS = ("traceparent", "tracestate")
_propagator = TraceContextTextMapPropagator()


def configured() -> bool:
    """Whether the OTEL_* environment asks for traces to be exported."""
    return bool(
        os.environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
        or os.environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
        or os.environ.get("OTEL_TRACES_EXPORTER", "none") not in ("", "none")
    )


def configure(service_name: str) -> bool:
    """Install OTLP exporters for traces and metrics when OTEL_* asks for them; returns
    whether tracing is on. A process that already has an SDK tracer provider (installed by
    whoever embeds it) keeps it."""
    if not configured():
        return False
    from opentelemetry.sdk.trace import TracerProvider

    if isinstance(trace.get_tracer_provider(), TracerProvider):
        return True
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import OTELResourceDetector, Resource
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    resource = Resource.create({"service.name": service_name}).merge(
        OTELResourceDetector().detect()
    )
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    if os.environ.get("OTEL_METRICS_EXPORTER", "otlp") not in ("", "none"):
        from opentelemetry.exporter.otlp.proto.http.metric_exporter import OTLPMetricExporter
        from opentelemetry.sdk.metrics import MeterProvider
        from opentelemetry.sdk.metrics.export import PeriodicExportingMetricReader

        reader = PeriodicExportingMetricReader(OTLPMetricExporter())
        metrics.set_meter_provider(MeterProvider(resource=resource, metric_readers=[reader]))
    return True


def flush(timeout_millis: int = 5000) -> None:
    """Export what is buffered now (blocking): a worker's job process is killed soon after
    its call ends, before the batch exporters' next round."""
    for provider in (trace.get_tracer_provider(), metrics.get_meter_provider()):
        force_flush = getattr(provider, "force_flush", None)
        if force_flush is not None:
            force_flush(timeout_millis)


def trace_context() -> dict[str, str]:
    """The current span's W3C trace context, to carry in a room's metadata; empty when
    tracing is off or no span is under way."""
    if not configured():
        return {}
    carrier: dict[str, str] = {}
    _propagator.inject(carrier)
    return {key: value for key, value in carrier.items() if key in TRACE_CONTEXT_KEYS}


def parent_context(carrier: Mapping[str, Any]) -> otel_context.Context | None:
    """The context a `trace_context` carrier names, or None when it names none (or a
    malformed one: trace context is never a reason to refuse a call)."""
    values = {
        key: value
        for key, value in carrier.items()
        if key in TRACE_CONTEXT_KEYS and isinstance(value, str)
    }
    if "traceparent" not in values:
        return None
    extracted = _propagator.extract(values, getter=DefaultGetter())
    if not trace.get_current_span(extracted).get_span_context().is_valid:
        return None
    return extracted
