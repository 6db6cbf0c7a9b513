"""Every HTTP answer carries the security headers, whichever route (or no route) gave it:
no MIME sniffing, no referrer, no framing, and HSTS in production only."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import pytest_asyncio

from tests.support.hostile import production_settings
from tests.support.servers import asgi_client

ALWAYS = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "content-security-policy": "frame-ancestors 'none'",
}
HSTS = "max-age=31536000; includeSubDomains"

# method, path, request keywords, the status that proves which part of the app answered
REQUESTS = {
    "health": ("GET", "/healthz", {}, 200),
    "graphql": ("POST", "/graphql", {"json": {"query": "{ __typename }"}}, 200),
    "graphql, bad JSON": (
        "POST",
        "/graphql",
        {"content": b"{", "headers": {"content-type": "application/json"}},
        400,
    ),
    "body over the limit": ("POST", "/graphql", {"content": b"x" * (256 * 1024 + 1)}, 413),
    "unknown path": ("GET", "/nowhere", {}, 404),
    "wrong method": ("GET", "/webhooks/stripe", {}, 405),
    "oauth callback without state": ("GET", "/oauth/google/callback", {}, 400),
    "webhook refused": ("POST", "/webhooks/twilio/voice", {"content": b"CallSid=CA1"}, 403),
}


@pytest_asyncio.fixture(scope="module")
async def development(server):
    async with asgi_client(server.settings) as app:
        yield app.http


@pytest_asyncio.fixture(scope="module")
async def production(server):
    settings = production_settings(server.settings.database_url)
    async with asgi_client(settings, base_url="https://production.test") as app:
        yield app.http


async def _send(http: httpx.AsyncClient, request: tuple[str, str, dict[str, Any], int]):
    method, path, keywords, status = request
    response = await http.request(method, path, **keywords)
    assert response.status_code == status, response.text
    return response


@pytest.mark.parametrize("request_", REQUESTS.values(), ids=list(REQUESTS))
async def test_every_answer_carries_the_security_headers(development, request_):
    # when
    response = await _send(development, request_)

    # then
    for name, value in ALWAYS.items():
        assert response.headers.get(name) == value, (name, dict(response.headers))
    assert "strict-transport-security" not in response.headers
    assert "server" not in response.headers


@pytest.mark.parametrize("request_", REQUESTS.values(), ids=list(REQUESTS))
async def test_production_answers_also_carry_hsts(production, request_):
    # when
    response = await _send(production, request_)

    # then
    for name, value in ALWAYS.items():
        assert response.headers.get(name) == value, (name, dict(response.headers))
    assert response.headers.get("strict-transport-security") == HSTS
