"""`voiceagents serve` as production runs it (a child process): uvicorn names itself in no
header, refuses WebSocket messages over the body limit itself, and its access log prints
no query string (the OAuth callback's `code` and `state`, a webhook's parameters)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.reliability.helpers import ApiProcess, api_process
from tests.support.waiting import eventually
from tests.support.websocket import TRANSPORT_WS

pytestmark = pytest.mark.slow

SECRETS_IN_QUERY_STRINGS = ("oauth-code-4f1d", "oauth-state-9a2c", "webhook-param-77e1")


@pytest_asyncio.fixture(scope="module")
async def api(server, tmp_path_factory) -> AsyncIterator[ApiProcess]:
    env = {"DATABASE_URL": server.settings.database_url, "LOG_LEVEL": "INFO"}
    async with api_process(env, tmp_path_factory.mktemp("serve")) as child:
        yield child


async def test_no_answer_names_the_server(api):
    # when
    async with httpx.AsyncClient(base_url=api.base_url) as http:
        health = await http.get("/healthz")
        graphql = await http.post("/graphql", json={"query": "{ __typename }"})

    # then
    for response in (health, graphql):
        assert "server" not in response.headers, dict(response.headers)
        assert response.headers["x-content-type-options"] == "nosniff"


async def test_the_access_log_prints_no_query_string(api):
    # given
    code, state, param = SECRETS_IN_QUERY_STRINGS

    # when
    async with httpx.AsyncClient(base_url=api.base_url) as http:
        await http.get("/oauth/google/callback", params={"code": code, "state": state})
        await http.post(f"/webhooks/twilio/voice?token={param}", content=b"CallSid=CA1")

    # then: both requests are in the access log, without their query strings
    def logged() -> bool:
        log = api.log()
        return "/oauth/google/callback" in log and "/webhooks/twilio/voice" in log

    await eventually(logged, what="the access log lines")
    log = api.log()
    for secret in SECRETS_IN_QUERY_STRINGS:
        assert secret not in log, log[-2000:]


async def test_the_server_refuses_a_websocket_message_over_the_body_limit(api):
    # given a socket, before any graphql-transport-ws message
    oversized = json.dumps({"type": "connection_init", "payload": {"x": "x" * 300_000}})
    async with connect(
        api.base_url.replace("http", "ws") + "/graphql", subprotocols=[TRANSPORT_WS]
    ) as socket:
        # when
        await socket.send(oversized)
        with pytest.raises(ConnectionClosed) as closed:
            await socket.recv()

    # then: closed by the server's WebSocket protocol (1009), never handed to the app
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1009
    assert "limit is" not in closed.value.rcvd.reason  # not the app's own refusal
