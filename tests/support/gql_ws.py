"""A minimal graphql-transport-ws client, as a dashboard would speak it."""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

from tests.support.secret_scan import SCANNER


class GraphQLWebSocket:
    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection
        self.messages: dict[str, asyncio.Queue[dict[str, Any]]] = defaultdict(asyncio.Queue)
        self._reader = asyncio.create_task(self._read())

    @classmethod
    async def open(cls, url: str, token: str) -> GraphQLWebSocket:
        connection = await connect(url, subprotocols=["graphql-transport-ws"])
        await connection.send(
            json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
        )
        ack = json.loads(await asyncio.wait_for(connection.recv(), 5))
        assert ack["type"] == "connection_ack", ack
        return cls(connection)

    async def subscribe(self, id: str, query: str, variables: dict[str, Any]) -> None:
        await self.connection.send(
            json.dumps(
                {"id": id, "type": "subscribe", "payload": {"query": query, "variables": variables}}
            )
        )

    async def next(self, id: str, timeout: float = 10.0) -> dict[str, Any]:
        """The next message of one operation: next / error / complete."""
        return await asyncio.wait_for(self.messages[id].get(), timeout)

    async def collect_until_complete(self, id: str, timeout: float = 15.0) -> list[dict[str, Any]]:
        payloads = []
        while True:
            message = await self.next(id, timeout)
            if message["type"] == "complete":
                return payloads
            assert message["type"] == "next", message
            assert "errors" not in message["payload"], message
            payloads.append(message["payload"]["data"])

    async def close(self) -> None:
        self._reader.cancel()
        await self.connection.close()

    async def _read(self) -> None:
        async for raw in self.connection:
            SCANNER.record("websocket message", raw if isinstance(raw, str) else raw.decode())
            message = json.loads(raw)
            if "id" in message:
                self.messages[message["id"]].put_nowait(message)
