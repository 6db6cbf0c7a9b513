"""OpenTelemetry: off when no exporter is configured; request and operation spans when it is."""

from __future__ import annotations

from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from graphql_api.schema import tracing_configured
from tests.support.servers import asgi_client

_exporter = InMemorySpanExporter()


def _install_provider() -> None:
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        provider = TracerProvider()
        trace.set_tracer_provider(provider)
    provider.add_span_processor(SimpleSpanProcessor(_exporter))


def test_tracing_is_off_without_otel_variables(monkeypatch):
    # given no exporter variable
    for name in (
        "OTEL_EXPORTER_OTLP_ENDPOINT",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
        "OTEL_TRACES_EXPORTER",
    ):
        monkeypatch.delenv(name, raising=False)

    # when / then
    assert tracing_configured() is False


async def test_requests_and_operations_are_traced_when_configured(server, monkeypatch):
    # given an exporter configured by the standard variables
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318")
    _install_provider()
    _exporter.clear()

    # when: the app is built after the variables are set (it reads them then)
    async with asgi_client(server.settings) as app:
        response = await app.http.post(
            "/graphql", json={"query": "query VoicesPage { agentVoices }"}
        )

    # then
    assert response.status_code == 200
    names = [span.name for span in _exporter.get_finished_spans()]
    assert "query VoicesPage" in names
    assert any(name.startswith("POST /graphql") or name == "POST" for name in names), names
