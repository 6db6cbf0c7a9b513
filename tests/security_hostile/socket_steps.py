"""What the tests of sockets and their credentials share: two API replicas on the `buses`
under test, and the moments a socket closed or a message came, measured as they happen.

The socket is opened on one replica (listening on `buses.server`); the revocation is made
through the other (publishing on `buses.writer`). In-process both replicas share one bus,
as the embedded default's one process does; on Redis they are two processes' connections,
as two production replicas are.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx

from core.settings import Settings
from tests.support.backends import Buses
from tests.support.graphql import GraphQLClient
from tests.support.servers import AppServer, running_app
from tests.support.waiting import DEADLINE
from tests.support.websocket import GraphQLSocket

# The bound: a revoked credential stops working on its sockets within a second.
WITHIN_ONE_SECOND = 1.0


@dataclass
class Replicas:
    sockets: AppServer  # where the sockets are open
    other: AppServer  # where the revocation is made
    gql: GraphQLClient  # to `other`


@contextlib.asynccontextmanager
async def two_replicas(settings: Settings, buses: Buses) -> AsyncIterator[Replicas]:
    async with (
        running_app(settings, bus=buses.server) as sockets,
        running_app(settings, bus=buses.writer) as other,
        httpx.AsyncClient(base_url=other.base_url, timeout=30) as http,
    ):
        yield Replicas(sockets, other, GraphQLClient(http))


def close_watch(socket: GraphQLSocket) -> asyncio.Task[tuple[float, int | None, str]]:
    """A task that ends when the server closes the socket: (loop time, code, reason)."""

    async def watch() -> tuple[float, int | None, str]:
        code, reason = await socket.wait_closed(timeout=DEADLINE)
        return asyncio.get_running_loop().time(), code, reason

    return asyncio.create_task(watch())


def message_watch(
    socket: GraphQLSocket, operation_id: str
) -> asyncio.Task[tuple[float, dict[str, Any]]]:
    """A task that ends with the next message of the operation: (loop time, message)."""

    async def watch() -> tuple[float, dict[str, Any]]:
        message = await socket.next(operation_id)
        return asyncio.get_running_loop().time(), message

    return asyncio.create_task(watch())


def now() -> float:
    return asyncio.get_running_loop().time()
