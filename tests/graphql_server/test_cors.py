"""CORS: a browser's preflight passes with the headers real frontends send (tracing, Sentry,
Apollo's client name, a request id); the list is the CORS_ALLOWED_HEADERS setting."""

import pytest

from core.settings import DEFAULT_CORS_ALLOWED_HEADERS, Settings
from tests.support.servers import asgi_client

ORIGIN = "https://app.example"


def _preflight(headers: str) -> dict[str, str]:
    return {
        "origin": ORIGIN,
        "access-control-request-method": "POST",
        "access-control-request-headers": headers,
    }


@pytest.fixture
def cors_settings(server) -> Settings:
    return server.settings.model_copy(update={"cors_allowed_origins": [ORIGIN]})


async def test_a_preflight_with_traceparent_passes(cors_settings):
    async with asgi_client(cors_settings) as app:
        # when
        response = await app.http.options(
            "/graphql", headers=_preflight("content-type, authorization, traceparent")
        )

    # then
    assert response.status_code == 200, response.text
    assert response.headers["access-control-allow-origin"] == ORIGIN
    allowed = {h.strip() for h in response.headers["access-control-allow-headers"].split(",")}
    assert {"traceparent", "authorization", "content-type"} <= allowed


async def test_a_preflight_with_every_header_a_frontend_sends_passes(cors_settings):
    async with asgi_client(cors_settings) as app:
        # when
        response = await app.http.options(
            "/graphql", headers=_preflight(", ".join(DEFAULT_CORS_ALLOWED_HEADERS))
        )

    # then
    assert response.status_code == 200, response.text
    assert set(DEFAULT_CORS_ALLOWED_HEADERS) == {
        "authorization",
        "content-type",
        "traceparent",
        "tracestate",
        "baggage",
        "sentry-trace",
        "apollographql-client-name",
        "apollographql-client-version",
        "x-request-id",
    }


async def test_a_header_outside_the_setting_fails_the_preflight(cors_settings):
    # given the default list, and a deployment that allows fewer headers
    narrow_settings = cors_settings.model_copy(update={"cors_allowed_headers": ["content-type"]})

    # when
    async with asgi_client(cors_settings) as app:
        unknown = await app.http.options("/graphql", headers=_preflight("x-not-allowed"))
    async with asgi_client(narrow_settings) as app:
        narrow = await app.http.options("/graphql", headers=_preflight("traceparent"))

    # then
    assert (unknown.status_code, unknown.text) == (400, "Disallowed CORS headers")
    assert (narrow.status_code, narrow.text) == (400, "Disallowed CORS headers")


async def test_a_request_with_tracing_headers_is_answered_for_the_origin(cors_settings, make):
    # given
    account = await make.account()

    async with asgi_client(cors_settings) as app:
        # when
        response = await app.http.post(
            "/graphql",
            json={"query": "{ me { id } }"},
            headers={
                "origin": ORIGIN,
                "authorization": f"Bearer {account.token}",
                "traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            },
        )

    # then
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ORIGIN
    assert response.json() == {"data": {"me": {"id": account.user_id}}}


def test_the_setting_is_comma_separated(monkeypatch):
    # given
    monkeypatch.setenv("CORS_ALLOWED_HEADERS", "Authorization, content-type ,x-tenant")

    # when / then
    assert Settings().cors_allowed_headers == ["Authorization", "content-type", "x-tenant"]
    monkeypatch.delenv("CORS_ALLOWED_HEADERS")
    assert Settings().cors_allowed_headers == list(DEFAULT_CORS_ALLOWED_HEADERS)
