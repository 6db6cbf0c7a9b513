"""WebSocket authentication: graphql-transport-ws only, and the token in connection_init."""

from __future__ import annotations

import asyncio
import json

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from core.services import sessions
from tests.support.waiting import DEADLINE
from tests.support.websocket import TRANSPORT_WS, graphql_socket, init_close_code

LEGACY_WS = "graphql-ws"
SUBSCRIBE = {
    "id": "1",
    "type": "subscribe",
    "payload": {"query": "subscription { __typename }"},
}


async def test_a_valid_access_token_is_acknowledged(server, make):
    # given
    account = await make.account()

    # when: (opening fails unless the server answers connection_init with connection_ack)
    async with graphql_socket(server.ws_url, account.token) as socket:
        protocol = socket.connection.subprotocol

    # then
    assert protocol == TRANSPORT_WS


async def test_an_api_key_is_acknowledged(server, make):
    # given
    tenant = await make.tenant("Socket Keys")
    api_key = await make.api_key(tenant, "member")

    # when: the header name spelled as browsers and proxies do
    async with graphql_socket(server.ws_url, None, Authorization=f"Bearer {api_key.key}") as socket:
        protocol = socket.connection.subprotocol

    # then
    assert protocol == TRANSPORT_WS


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
    close_code = await init_close_code(server.ws_url, payload)

    # then
    assert close_code == 4403


async def test_a_token_of_a_signed_out_session_closes_with_4403(server, make):
    # given
    account = await make.account()
    await sessions.revoke(session_id=account.session_id, reason="signed_out", bus=None)

    # when
    close_code = await init_close_code(server.ws_url, {"authorization": f"Bearer {account.token}"})

    # then
    assert close_code == 4403


async def test_subscribe_before_connection_init_closes_with_4401(server):
    # given
    async with connect(server.ws_url, subprotocols=[TRANSPORT_WS]) as socket:
        # when
        await socket.send(json.dumps(SUBSCRIBE))

        # then
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(socket.recv(), timeout=DEADLINE)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4401


async def test_the_legacy_graphql_ws_protocol_is_refused(server, make):
    # given
    account = await make.account()

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
                received.append(await asyncio.wait_for(socket.recv(), timeout=DEADLINE))

    # then
    assert selected is None
    assert received == []
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 4406
