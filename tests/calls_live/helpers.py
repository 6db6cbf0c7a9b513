"""Shared steps for the live call stream tests: buses, an extra server, a socket client.

The bus tests and the subscription tests run against both buses: the in-process
one always, the Redis one when TEST_REDIS_URL is set (skipped otherwise).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
import uvicorn
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from core.events import Event, EventBus, InProcessBus, RedisBus
from core.services import calls
from core.settings import Settings
from graphql_api import ids
from graphql_api.app import create_app
from orm.models import Call, VoiceAgent
from tests.conftest import TEST_REDIS_URL, Account, GraphQLClient, create_organization, sign_up

TRANSPORT_WS = "graphql-transport-ws"
WAIT = 5.0  # seconds: how long "arrives" may take
QUIET = 0.4  # seconds: how long "nothing arrives" is watched

needs_redis = pytest.mark.skipif(not TEST_REDIS_URL, reason="TEST_REDIS_URL is not set")

BUS_KINDS = [
    pytest.param("memory", id="in-process"),
    pytest.param("redis", id="redis", marks=needs_redis),
]


def redis_url(client_name: str | None = None) -> str:
    assert TEST_REDIS_URL
    if client_name is None:
        return TEST_REDIS_URL
    separator = "&" if "?" in TEST_REDIS_URL else "?"
    return f"{TEST_REDIS_URL}{separator}client_name={client_name}"


@dataclass
class Buses:
    """The bus a server subscribes on, and the one a writer (webhook or worker) publishes on.

    In-process they must be the same object; with Redis the writer is another process,
    so it gets its own connection.
    """

    server: EventBus
    writer: EventBus
    # Redis only: the CLIENT name of the server bus's connections, to kill them.
    client_name: str | None = None

    async def close(self) -> None:
        await self.server.close()
        if self.writer is not self.server:
            await self.writer.close()


def make_buses(kind: str) -> Buses:
    if kind == "memory":
        bus = InProcessBus()
        return Buses(bus, bus)
    name = f"calls-live-{uuid.uuid4().hex[:10]}"
    return Buses(RedisBus(redis_url(name)), RedisBus(redis_url()), client_name=name)


async def kill_pubsub(client_name: str) -> int:
    """Close, server side, the pub/sub connections of the bus with this CLIENT name.

    Only that bus's connection: other test runs may share the Redis server.
    """
    from redis.asyncio import Redis

    admin = Redis.from_url(redis_url())
    try:
        killed = 0
        for client in await admin.client_list(_type="pubsub"):
            if client.get("name") == client_name:
                await admin.execute_command("CLIENT", "KILL", "ID", client["id"])
                killed += 1
        return killed
    finally:
        await admin.aclose()


async def numsub(channel: str) -> int:
    from redis.asyncio import Redis

    admin = Redis.from_url(redis_url())
    try:
        [(_, count)] = await admin.pubsub_numsub(channel)
        return int(count)
    finally:
        await admin.aclose()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.asynccontextmanager
async def running_server(settings: Settings, bus: EventBus) -> AsyncIterator[str]:
    """Another API process, in this one: the app on its own port with its own bus.

    The lifespan stays off: the `server` fixture already opened the ORM for the whole
    process, and a second RegisterTortoise would close its connections on exit.
    Yields the WebSocket URL of /graphql.
    """
    port = _free_port()
    config = uvicorn.Config(
        create_app(settings, run_mail_sender=False, bus=bus),
        host="127.0.0.1",
        port=port,
        lifespan="off",
        log_level="warning",
    )
    server = uvicorn.Server(config)
    server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
    task = asyncio.create_task(server.serve())
    for _ in range(200):
        if server.started or task.done():
            break
        await asyncio.sleep(0.02)
    if task.done():
        task.result()
    assert server.started, "the extra server did not start"
    try:
        yield f"ws://127.0.0.1:{port}/graphql"
    finally:
        server.should_exit = True
        await task


class GraphQLSocket:
    """A graphql-transport-ws client; messages are sorted by operation id as they come."""

    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection
        self.inbox: dict[str | None, list[dict[str, Any]]] = defaultdict(list)
        self.closed_code: int | None = None

    async def subscribe(
        self, operation_id: str, query: str, variables: dict[str, Any] | None = None
    ) -> None:
        await self.connection.send(
            json.dumps(
                {
                    "id": operation_id,
                    "type": "subscribe",
                    "payload": {"query": query, "variables": variables or {}},
                }
            )
        )

    async def complete(self, operation_id: str) -> None:
        await self.connection.send(json.dumps({"id": operation_id, "type": "complete"}))

    async def _receive_one(self, timeout: float) -> None:
        raw = await asyncio.wait_for(self.connection.recv(), timeout)
        message = json.loads(raw)
        self.inbox[message.get("id")].append(message)

    async def next(self, operation_id: str, timeout: float = WAIT) -> dict[str, Any]:
        """The next message of this operation (next / error / complete)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not self.inbox[operation_id]:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"nothing for operation {operation_id} within {timeout}s")
            try:
                await self._receive_one(remaining)
            except TimeoutError:
                continue
        return self.inbox[operation_id].pop(0)

    async def data(self, operation_id: str, field: str, timeout: float = WAIT) -> dict[str, Any]:
        """The next `next` message's payload field; fails on anything else."""
        message = await self.next(operation_id, timeout)
        assert message["type"] == "next", message
        assert "errors" not in message["payload"], message
        return message["payload"]["data"][field]

    async def nothing_for(self, operation_id: str, seconds: float = QUIET) -> None:
        """Asserts that no message of this operation arrives within `seconds`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while not self.inbox[operation_id]:
            remaining = deadline - loop.time()
            if remaining <= 0:
                return
            try:
                await self._receive_one(remaining)
            except TimeoutError:
                return
        raise AssertionError(f"unexpected: {self.inbox[operation_id]}")


@contextlib.asynccontextmanager
async def graphql_socket(ws_url: str, token: str) -> AsyncIterator[GraphQLSocket]:
    """A socket acknowledged with this access token or API key."""
    async with connect(ws_url, subprotocols=[TRANSPORT_WS]) as connection:
        await connection.send(
            json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
        )
        ack = json.loads(await asyncio.wait_for(connection.recv(), WAIT))
        assert ack["type"] == "connection_ack", ack
        yield GraphQLSocket(connection)


async def init_close_code(ws_url: str, payload: Any) -> int | None:
    """connection_init with this payload; the close code, or None when acknowledged."""
    async with connect(ws_url, subprotocols=[TRANSPORT_WS]) as connection:
        message: dict[str, Any] = {"type": "connection_init"}
        if payload is not None:
            message["payload"] = payload
        await connection.send(json.dumps(message))
        try:
            reply = json.loads(await asyncio.wait_for(connection.recv(), WAIT))
        except ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else None
        assert reply["type"] == "connection_ack", reply
        return None


# --- tenants and calls -----------------------------------------------------------------------


@dataclass
class Tenant:
    owner: Account
    organization_id: str  # global id
    organization_uuid: uuid.UUID
    agent_uuid: uuid.UUID


async def new_tenant(gql: GraphQLClient, name: str = "Calls Inc") -> Tenant:
    owner = await sign_up(gql)
    organization_id = await create_organization(gql, owner, name)
    decoded = ids.decode_any(organization_id)
    assert decoded is not None
    organization_uuid = decoded[1]
    agent = await VoiceAgent.create(
        organization_id=organization_uuid,
        name="Front desk",
        system_prompt="You answer the phone.",
        voice="Puck",
        language="en-US",
    )
    return Tenant(owner, organization_id, organization_uuid, agent.id)


async def new_call(tenant: Tenant) -> Call:
    return await Call.create(
        id=uuid.uuid4(),
        organization_id=tenant.organization_uuid,
        agent_id=tenant.agent_uuid,
        direction="inbound",
        from_number="+14155550100",
        to_number="+14155550199",
        status=calls.CallStatus.RINGING.value,
        snapshot={},
    )


def call_global_id(call: Call) -> str:
    return ids.encode("Call", call.id)


async def transcript(call: Call, text: str, bus: EventBus | None) -> Event:
    event = await calls.record_event(
        call_id=call.id, type="call.transcript", data={"role": "caller", "text": text}, bus=bus
    )
    assert event is not None
    return event


def envelope(
    *,
    organization_id: uuid.UUID | None = None,
    call_id: uuid.UUID | None = None,
    seq: int = 1,
    type: str = "call.transcript",
    data: dict[str, Any] | None = None,
) -> Event:
    """An event that is only published, never recorded (for the bus-only tests)."""
    return Event(
        type=type,
        organization_id=organization_id or uuid.uuid4(),
        call_id=call_id or uuid.uuid4(),
        seq=seq,
        data=data or {},
    )
