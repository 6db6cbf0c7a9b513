"""OpenTelemetry: a span per GraphQL operation, and the providers set up from OTEL_*."""

from __future__ import annotations

from collections.abc import Iterator

from opentelemetry import trace
from strawberry.extensions import SchemaExtension

from core import telemetry

tracer = trace.get_tracer("voiceagents.graphql")


class OperationSpan(SchemaExtension):
    """One span per operation, named like `query agentsPage` (resolvers are not traced: cost)."""

    def on_operation(self) -> Iterator[None]:
        with tracer.start_as_current_span("graphql.operation") as span:
            yield
            context = self.execution_context
            operation_type = getattr(context, "operation_type", None)
            kind = operation_type.value if operation_type is not None else "operation"
            name = context.operation_name or "anonymous"
            span.update_name(f"{kind} {name}")
            span.set_attribute("graphql.operation.type", kind)
            span.set_attribute("graphql.operation.name", name)
            errors = getattr(context.result, "errors", None)
            if errors:
                span.set_attribute("graphql.errors", len(errors))


def configure_tracing(service_name: str) -> bool:
    """Install OTLP exporters of traces and metrics when OTEL_* variables ask for them;
    returns whether it did (core/telemetry.py, shared with the worker)."""
    return telemetry.configure(service_name)
