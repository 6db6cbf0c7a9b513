"""Which database and bus the suite runs on, and the two buses the live tests try.

TEST_DATABASE_URL selects PostgreSQL (default: a fresh SQLite file) and TEST_REDIS_URL
selects Redis. When they are set, an unreachable service fails the run; it never skips.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass

import pytest

from core.events import EventBus, InProcessBus, RedisBus

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL")

# For the tests about what only the poll delivers (events of another process, a missed
# publish): short, so they do not wait long.
SHORT_POLL_SECONDS = 0.3

needs_redis = pytest.mark.skipif(not TEST_REDIS_URL, reason="TEST_REDIS_URL is not set")
needs_postgres = pytest.mark.skipif(not TEST_DATABASE_URL, reason="TEST_DATABASE_URL is not set")

# The live tests run on both buses: in-process always, Redis when TEST_REDIS_URL is set.
BUS_KINDS = [
    pytest.param("memory", id="in-process"),
    pytest.param("redis", id="redis", marks=needs_redis),
]


def backend() -> str:
    return "postgres" if TEST_DATABASE_URL else "sqlite"


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


def make_buses(kind: str, *, poll_seconds: float | None = None) -> Buses:
    """A pair of buses of this kind; `poll_seconds` shortens the subscriptions' record reads
    (the product's defaults otherwise)."""
    polling = {} if poll_seconds is None else {"poll_seconds": poll_seconds}
    if kind == "memory":
        bus = InProcessBus(**polling)
        return Buses(bus, bus)
    name = f"va-test-{uuid.uuid4().hex[:10]}"
    return Buses(
        RedisBus(redis_url(name), **polling),
        RedisBus(redis_url(), **polling),
        client_name=name,
    )


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


async def redis_numsub(channel: str, url: str | None = None) -> int:
    """Connections the Redis server (the suite's, or the one at `url`) has on the channel."""
    from redis.asyncio import Redis

    admin = Redis.from_url(url or redis_url())
    try:
        [(_, count)] = await admin.pubsub_numsub(channel)
        return int(count)
    finally:
        await admin.aclose()
