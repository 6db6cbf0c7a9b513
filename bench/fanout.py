"""Event fan-out: one published event to N WebSocket subscribers over two API processes.

The subscribers (graphql-transport-ws, `organizationCallUpdates`) are split over
two API servers that share Redis; events are published on Redis as the worker
publishes them. The baseline is raw Redis pub/sub delivery to N subscribers.
Latency is from publish to receipt, on the same clock.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from dataclasses import dataclass
from datetime import datetime

from redis.asyncio import Redis
from websockets.asyncio.client import connect

from bench.processes import percentile, serve
from core.call_events import CallStatus, StatusChanged, StatusSource
from core.events import Event, RedisBus, organization_channel

SUBSCRIPTION = """subscription($org: ID!) {
  organizationCallUpdates(organizationId: $org) { seq occurredAt }
}"""


@dataclass
class FanoutResult:
    name: str
    subscribers: int
    events: int
    p50_ms: float
    p99_ms: float
    delivered: int


async def measure(
    *,
    env: dict[str, str],
    redis_url: str,
    organization_id: uuid.UUID,
    global_org_id: str,
    token: str,
    subscribers: int,
    events: int,
) -> tuple[FanoutResult, FanoutResult]:
    api = await _through_api(
        env=env,
        redis_url=redis_url,
        organization_id=organization_id,
        global_org_id=global_org_id,
        token=token,
        subscribers=subscribers,
        events=events,
    )
    raw = await _raw_redis(redis_url=redis_url, subscribers=subscribers, events=events)
    return api, raw


async def _through_api(**kw) -> FanoutResult:  # type: ignore[no-untyped-def]
    # One dashboard user's token watches from every socket: the per-credential cap
    # (MAX_SOCKETS_PER_CREDENTIAL, 10 by default) would refuse the 11th.
    env = {
        **kw["env"],
        "REDIS_URL": kw["redis_url"],
        "MAX_SOCKETS_PER_CREDENTIAL": str(kw["subscribers"]),
    }
    latencies: list[float] = []
    with serve("bench.apps:api_app", env) as first, serve("bench.apps:api_app", env) as second:
        urls = [first.replace("http", "ws") + "/graphql", second.replace("http", "ws") + "/graphql"]
        sockets = await asyncio.gather(
            *(
                _subscribe(urls[index % 2], kw["token"], kw["global_org_id"])
                for index in range(kw["subscribers"])
            )
        )
        await asyncio.sleep(1.0)  # every subscription registered on the bus
        readers = [
            asyncio.create_task(_read(socket, latencies, kw["events"])) for socket in sockets
        ]
        bus = RedisBus(kw["redis_url"])
        call_id = uuid.uuid4()
        for seq in range(1, kw["events"] + 1):
            await bus.publish(
                Event(  # occurred_at: now, the moment the latency is measured from
                    organization_id=kw["organization_id"],
                    call_id=call_id,
                    seq=seq,
                    payload=StatusChanged(
                        status=CallStatus.IN_PROGRESS,
                        previous_status=CallStatus.RINGING,
                        source=StatusSource.WORKER,
                    ),
                )
            )
            await asyncio.sleep(0.2)
        await asyncio.wait(readers, timeout=30)
        for reader in readers:
            reader.cancel()
        await asyncio.gather(*(socket.close() for socket in sockets), return_exceptions=True)
        await bus.close()
    return FanoutResult(
        "api",
        kw["subscribers"],
        kw["events"],
        percentile(latencies, 0.5),
        percentile(latencies, 0.99),
        len(latencies),
    )


async def _subscribe(url: str, token: str, org: str):  # type: ignore[no-untyped-def]
    socket = await connect(
        url, subprotocols=["graphql-transport-ws"], max_queue=None, open_timeout=30
    )
    await socket.send(
        json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
    )
    await socket.recv()
    await socket.send(
        json.dumps(
            {
                "id": "1",
                "type": "subscribe",
                "payload": {"query": SUBSCRIPTION, "variables": {"org": org}},
            }
        )
    )
    return socket


async def _read(socket, latencies: list[float], events: int) -> None:  # type: ignore[no-untyped-def]
    received = 0
    while received < events:
        message = json.loads(await socket.recv())
        if message.get("type") != "next":
            continue
        occurred_at = message["payload"]["data"]["organizationCallUpdates"]["occurredAt"]
        latencies.append((time.time() - datetime.fromisoformat(occurred_at).timestamp()) * 1000)
        received += 1


async def _raw_redis(*, redis_url: str, subscribers: int, events: int) -> FanoutResult:
    channel = organization_channel(uuid.uuid4())
    latencies: list[float] = []
    clients = [Redis.from_url(redis_url) for _ in range(subscribers)]
    pubsubs = [client.pubsub(ignore_subscribe_messages=True) for client in clients]
    await asyncio.gather(*(pubsub.subscribe(channel) for pubsub in pubsubs))

    async def read(pubsub) -> None:  # type: ignore[no-untyped-def]
        received = 0
        while received < events:
            message = await pubsub.get_message(timeout=5.0)
            if message is None:
                continue
            latencies.append((time.time() - json.loads(message["data"])["sent"]) * 1000)
            received += 1

    readers = [asyncio.create_task(read(pubsub)) for pubsub in pubsubs]
    publisher = Redis.from_url(redis_url)
    for _ in range(events):
        await publisher.publish(channel, json.dumps({"sent": time.time()}))
        await asyncio.sleep(0.2)
    await asyncio.wait(readers, timeout=30)
    for reader in readers:
        reader.cancel()
    for pubsub, client in zip(pubsubs, clients, strict=True):
        await pubsub.aclose()
        await client.aclose()
    await publisher.aclose()
    return FanoutResult(
        "raw redis",
        subscribers,
        events,
        percentile(latencies, 0.5),
        percentile(latencies, 0.99),
        len(latencies),
    )
