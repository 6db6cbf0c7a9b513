"""OpenTelemetry kept in memory: the spans and metrics this process records.

A process has one global tracer provider and one global meter provider, set once; the
first test that asks installs SDK providers with an in-memory span exporter and metric
reader (or adds its exporter to the SDK tracer provider another test installed), and
every later one reads the same. Tests pick their own spans by trace id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from opentelemetry import metrics, trace
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter


@dataclass
class Telemetry:
    spans: InMemorySpanExporter
    metrics: InMemoryMetricReader

    def finished(self, trace_id: int | None = None) -> list[ReadableSpan]:
        spans = self.spans.get_finished_spans()
        if trace_id is None:
            return list(spans)
        return [span for span in spans if span.context.trace_id == trace_id]

    def points(self, name: str) -> list[Any]:
        """The data points of one metric, as collected now."""
        data = self.metrics.get_metrics_data()
        found = []
        for resource in data.resource_metrics if data else []:
            for scope in resource.scope_metrics:
                for metric in scope.metrics:
                    if metric.name == name:
                        found.extend(metric.data.data_points)
        return found


_installed: Telemetry | None = None


def in_memory_telemetry() -> Telemetry:
    global _installed
    if _installed is not None:
        return _installed
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        provider = TracerProvider()
        trace.set_tracer_provider(provider)
    spans = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(spans))
    reader = InMemoryMetricReader()
    metrics.set_meter_provider(MeterProvider(metric_readers=[reader]))
    _installed = Telemetry(spans, reader)
    return _installed
