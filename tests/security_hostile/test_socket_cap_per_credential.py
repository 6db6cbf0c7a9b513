"""At most MAX_SOCKETS_PER_CREDENTIAL (10) sockets per session or API key, per process.

A stolen token cannot open sockets without end; the owner's other sessions and keys keep
their own places.
"""

from __future__ import annotations

import asyncio
import contextlib
import json

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from tests.support.backends import Buses
from tests.support.factories import Factories, Tenant
from tests.support.servers import running_app
from tests.support.waiting import DEADLINE, eventually
from tests.support.websocket import TRANSPORT_WS, graphql_socket, init_close_code

DEFAULT_CAP = 10


async def _refusal(ws_url: str, credential: str) -> tuple[int | None, str] | None:
    """connection_init with this credential: (close code, reason), or None when acknowledged."""
    async with connect(ws_url, subprotocols=[TRANSPORT_WS]) as connection:
        await connection.send(
            json.dumps(
                {"type": "connection_init", "payload": {"authorization": f"Bearer {credential}"}}
            )
        )
        try:
            reply = json.loads(await asyncio.wait_for(connection.recv(), DEADLINE))
        except ConnectionClosed as closed:
            return (closed.rcvd.code, closed.rcvd.reason) if closed.rcvd else (None, "")
        assert reply["type"] == "connection_ack", reply
        return None


async def _session(make: Factories, tenant: Tenant) -> tuple[str, str]:
    """A credential and another of the same person."""
    elsewhere = await make.session(tenant.owner.user)
    return tenant.token, elsewhere.token


async def _api_key(make: Factories, tenant: Tenant) -> tuple[str, str]:
    first, second = await make.api_key(tenant), await make.api_key(tenant)
    return first.key, second.key


@pytest.mark.parametrize("credentials", [_session, _api_key], ids=["session", "API key"])
async def test_the_eleventh_socket_of_one_credential_is_refused(
    server, make, buses: Buses, credentials
):
    # given: ten sockets open with one credential
    tenant = await make.tenant()
    credential, sibling = await credentials(make, tenant)
    async with (
        running_app(server.settings, bus=buses.server) as app,
        contextlib.AsyncExitStack() as stack,
    ):
        sockets = [
            await stack.enter_async_context(graphql_socket(app.ws_url, credential))
            for _ in range(DEFAULT_CAP)
        ]

        # when
        refused = await _refusal(app.ws_url, credential)

        # then: the eleventh is closed with its own code, saying why
        assert refused == (4013, "Too many sockets for this credential")
        # and another credential of the same person has places of its own
        assert await _refusal(app.ws_url, sibling) is None
        # and a place freed is a place again
        await sockets[0].close()
        payload = {"authorization": f"Bearer {credential}"}

        async def a_place_is_free() -> bool:
            return await init_close_code(app.ws_url, payload) is None

        await eventually(a_place_is_free, what="a socket once one of the ten closed")
