"""The suite's one graphql-transport-ws client, speaking the protocol as a dashboard does.

A reader task sorts every message into a queue per operation id as it arrives (and hands
it to the secret scan), answers `ping`, and remembers how the socket closed, so a test
waits on what it expects instead of sleeping.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import defaultdict
from collections.abc import AsyncIterator
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from tests.support.secret_scan import SCANNER
from tests.support.waiting import DEADLINE

TRANSPORT_WS = "graphql-transport-ws"


class SocketClosed(AssertionError):
    def __init__(self, code: int | None, reason: str) -> None:
        super().__init__(f"the socket closed ({code} {reason!r})")
        self.code = code
        self.reason = reason


class GraphQLSocket:
    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection
        self.inbox: dict[str, asyncio.Queue[dict[str, Any]]] = defaultdict(asyncio.Queue)
        # Every message of each operation as the server sent it, for byte-for-byte checks.
        self.frames: dict[str, list[str]] = defaultdict(list)
        self.closed: asyncio.Future[tuple[int | None, str]] = (
            asyncio.get_running_loop().create_future()
        )
        self._reader = asyncio.create_task(self._read())

    # --- sending --------------------------------------------------------------------------

    async def send(self, message: dict[str, Any]) -> None:
        await self.connection.send(json.dumps(message))

    async def subscribe(
        self, operation_id: str, query: str, variables: dict[str, Any] | None = None
    ) -> None:
        """Start an operation (a subscription, or a query or mutation over the socket)."""
        await self.send(
            {
                "id": operation_id,
                "type": "subscribe",
                "payload": {"query": query, "variables": variables or {}},
            }
        )

    async def complete(self, operation_id: str) -> None:
        await self.send({"id": operation_id, "type": "complete"})

    # --- receiving ------------------------------------------------------------------------

    async def next(self, operation_id: str, timeout: float = DEADLINE) -> dict[str, Any]:
        """The next message of this operation: next / error / complete."""
        queue = self.inbox[operation_id]
        if queue.empty() and self.closed.done():
            raise SocketClosed(*self.closed.result())
        getter = asyncio.ensure_future(queue.get())
        done, _ = await asyncio.wait(
            {getter, self.closed}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED
        )
        if getter in done:
            return getter.result()
        getter.cancel()
        if self.closed.done():
            raise SocketClosed(*self.closed.result())
        raise AssertionError(f"nothing for operation {operation_id} within {timeout}s")

    async def data(
        self, operation_id: str, field: str | None = None, timeout: float = DEADLINE
    ) -> Any:
        """The data of the next `next` message (one field of it, when named)."""
        message = await self.next(operation_id, timeout)
        assert message["type"] == "next", message
        assert "errors" not in message["payload"], message
        data = message["payload"]["data"]
        return data[field] if field is not None else data

    async def execute(
        self, operation_id: str, query: str, variables: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """A query or mutation over the socket: its one result, then `complete`."""
        await self.subscribe(operation_id, query, variables)
        message = await self.next(operation_id)
        if message["type"] == "next":
            assert (await self.next(operation_id))["type"] == "complete"
        return message

    async def collect_until_complete(
        self, operation_id: str, timeout: float = DEADLINE
    ) -> list[dict[str, Any]]:
        payloads = []
        while True:
            message = await self.next(operation_id, timeout)
            if message["type"] == "complete":
                return payloads
            assert message["type"] == "next", message
            assert "errors" not in message["payload"], message
            payloads.append(message["payload"]["data"])

    def pending(self, operation_id: str) -> list[dict[str, Any]]:
        """Messages of this operation received and not yet read (read them out)."""
        queue = self.inbox[operation_id]
        return [queue.get_nowait() for _ in range(queue.qsize())]

    async def wait_closed(self, timeout: float = DEADLINE) -> tuple[int | None, str]:
        """(close code, reason) once the server has closed the socket."""
        return await asyncio.wait_for(asyncio.shield(self.closed), timeout)

    async def close(self) -> None:
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader
        await self.connection.close()

    async def _read(self) -> None:
        try:
            async for raw in self.connection:
                text = raw if isinstance(raw, str) else raw.decode()
                SCANNER.record("websocket message", text)
                message = json.loads(text)
                if message.get("type") == "ping":
                    await self.send({"type": "pong"})
                    continue
                if "id" in message:
                    self.frames[message["id"]].append(text)
                    self.inbox[message["id"]].put_nowait(message)
        except ConnectionClosed:
            pass
        finally:
            if not self.closed.done():
                received = self.connection.protocol.close_rcvd
                self.closed.set_result(
                    (received.code, received.reason) if received else (None, "no close frame")
                )


async def open_socket(ws_url: str, token: str | None, **init: Any) -> GraphQLSocket:
    """A socket acknowledged with this access token or API key (`init` adds to the payload)."""
    connection = await connect(ws_url, subprotocols=[TRANSPORT_WS])
    payload = {**({"authorization": f"Bearer {token}"} if token else {}), **init}
    await connection.send(json.dumps({"type": "connection_init", "payload": payload}))
    try:
        ack = json.loads(await asyncio.wait_for(connection.recv(), DEADLINE))
    except ConnectionClosed as closed:
        raise SocketClosed(closed.rcvd.code if closed.rcvd else None, "at init") from None
    assert ack["type"] == "connection_ack", ack
    return GraphQLSocket(connection)


@contextlib.asynccontextmanager
async def graphql_socket(
    ws_url: str, token: str | None, **init: Any
) -> AsyncIterator[GraphQLSocket]:
    socket = await open_socket(ws_url, token, **init)
    try:
        yield socket
    finally:
        await socket.close()


async def init_close_code(ws_url: str, payload: Any) -> int | None:
    """connection_init with this payload: the close code, or None when acknowledged."""
    async with connect(ws_url, subprotocols=[TRANSPORT_WS]) as connection:
        message: dict[str, Any] = {"type": "connection_init"}
        if payload is not None:
            message["payload"] = payload
        await connection.send(json.dumps(message))
        try:
            reply = json.loads(await asyncio.wait_for(connection.recv(), DEADLINE))
        except ConnectionClosed as closed:
            return closed.rcvd.code if closed.rcvd else None
        assert reply["type"] == "connection_ack", reply
        return None
