"""WebSocket authentication: graphql-transport-ws only, and the token in connection_init."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.accounts.helpers import create_api_key
from tests.conftest import sign_up, unique_email

TRANSPORT_WS = "graphql-transport-ws"
LEGACY_WS = "graphql-ws"
SUBSCRIBE = {
    "id": "1",
    "type": "subscribe",
    "payload": {"query": "subscription { __typename }"},
}


async def _init(url: str, payload: Any = None) -> tuple[dict | None, int | None]:
    """Send connection_init; the first message back, or the close code if the socket closed."""
    async with connect(url, subprotocols=[TRANSPORT_WS]) as socket:
        assert socket.subprotocol == TRANSPORT_WS
        message: dict[str, Any] = {"type": "connection_init"}
        if payload is not None:
            message["payload"] = payload
        await socket.send(json.dumps(message))
        try:
            reply = await asyncio.wait_for(socket.recv(), timeout=5)
        except ConnectionClosed as closed:
            return None, closed.rcvd.code if closed.rcvd else None
        return json.loads(reply), None


async def test_a_valid_access_token_is_acknowledged(gql, server):
    # given
    account = await sign_up(gql, unique_email("ws"))

    # when
    reply, close_code = await _init(server.ws_url, {"authorization": f"Bearer {account.token}"})

    # then
    assert close_code is None
    assert reply["type"] == "connection_ack"


async def test_an_api_key_is_acknowledged(gql, server):
    # given
    account = await sign_up(gql, unique_email("wskey"))
    key = await create_api_key(gql, account)

    # when
    reply, close_code = await _init(server.ws_url, {"Authorization": f"Bearer {key}"})

    # then
    assert close_code is None
    assert reply["type"] == "connection_ack"


@pytest.mark.parametrize(
    "payload",
    [
        None,
        {},
        {"authorization": "Bearer not-a-token"},
        {"authorization": "Bearer vak_not-a-real-key"},
        {"authorization": 12345},
    ],
    ids=["no payload", "empty payload", "bad token", "unknown api key", "not a string"],
)
async def test_a_missing_or_bad_credential_closes_with_4403(server, payload):
    # when
    reply, close_code = await _init(server.ws_url, payload)

    # then
    assert reply is None
    assert close_code == 4403


async def test_a_token_of_a_signed_out_session_closes_with_4403(gql, server):
    # given
    account = await sign_up(gql, unique_email("wsout"))
    await gql.data("mutation { signOut { ok } }", token=account.token)

    # when
    reply, close_code = await _init(server.ws_url, {"authorization": f"Bearer {account.token}"})

    # then
    assert reply is None
    assert close_code == 4403


async def test_subscribe_before_connection_init_closes_with_4401(server):
    # given
    async with connect(server.ws_url, subprotocols=[TRANSPORT_WS]) as socket:
        # when
        await socket.send(json.dumps(SUBSCRIBE))

        # then
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(socket.recv(), timeout=5)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4401


async def test_the_legacy_graphql_ws_protocol_is_refused(gql, server):
    # given
    account = await sign_up(gql, unique_email("legacy"))

    # when
    async with connect(server.ws_url, subprotocols=[LEGACY_WS]) as socket:
        selected = socket.subprotocol
        received = []
        with pytest.raises(ConnectionClosed) as closed:
            await socket.send(
                json.dumps(
                    {
                        "type": "connection_init",
                        "payload": {"authorization": f"Bearer {account.token}"},
                    }
                )
            )
            while True:
                received.append(await asyncio.wait_for(socket.recv(), timeout=5))

    # then
    assert selected is None
    assert received == []
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4406
