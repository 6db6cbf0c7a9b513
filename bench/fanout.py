"""Event fan-out: one published event to N WebSocket subscribers over two API processes.

The subscribers (graphql-transport-ws, `organizationCallUpdates` with what a dashboard
selects, the call included) are split over two API servers that share Redis; events are
published on Redis as the worker publishes them. The baseline is raw Redis pub/sub delivery
to N subscriber connections. Latency is from publish to receipt, on the same clock.

Rounds alternate API and baseline (all connections stay open throughout), after a few
events each way that are not measured; each figure is the median of the rounds'
percentiles. Every frame the API sends is compared byte for byte with the frame built by
hand from the published event and the call (the JSON the per-subscriber execution sent
before results were shared), so a faster fan-out that sent something else would show as
mismatches, not as a better figure.
"""

from __future__ import annotations

import asyncio
import gc
import json
import statistics
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

from bench.processes import percentile, serve
from core.call_events import CallStatus, StatusChanged, StatusSource
from core.events import Event, RedisBus, organization_channel

SUBSCRIPTION = """subscription Dashboard($org: ID!) {
  organizationCallUpdates(organizationId: $org) {
    __typename seq occurredAt type
    ... on CallStatusChanged { status previousStatus }
    call { id status }
  }
}"""
OPERATION_ID = "1"
# Events each way before the measured rounds.
WARM_UP = 3


@dataclass
class FanoutResult:
    name: str
    subscribers: int
    events: int
    rounds: int
    p50_ms: float  # median over the rounds
    p99_ms: float
    delivered: int
    # API only: frames that were not byte for byte the expected one.
    mismatched: int = 0
    round_p50s: list[float] = field(default_factory=list)
    round_p99s: list[float] = field(default_factory=list)


@dataclass
class _Round:
    latencies: list[float] = field(default_factory=list)
    mismatched: int = 0


async def measure(
    *,
    env: dict[str, str],
    redis_url: str,
    organization_id: uuid.UUID,
    global_org_id: str,
    call_id: uuid.UUID,
    global_call_id: str,
    token: str,
    subscribers: int,
    events: int,
    rounds: int,
) -> tuple[FanoutResult, FanoutResult]:
    # One dashboard user's token watches from every socket: the per-credential cap
    # (MAX_SOCKETS_PER_CREDENTIAL, 10 by default) would refuse the 11th.
    env = {**env, "REDIS_URL": redis_url, "MAX_SOCKETS_PER_CREDENTIAL": str(subscribers)}
    api_rounds: list[_Round] = []
    raw_rounds: list[_Round] = []
    with serve("bench.apps:api_app", env) as first, serve("bench.apps:api_app", env) as second:
        urls = [first.replace("http", "ws") + "/graphql", second.replace("http", "ws") + "/graphql"]
        sockets = list(
            await asyncio.gather(
                *(subscribe(urls[index % 2], token, global_org_id) for index in range(subscribers))
            )
        )
        raw = await _RawSubscribers.open(redis_url, subscribers)
        bus = RedisBus(redis_url)
        # The client's full garbage collections (over 2,000 connections' objects: 100-250 ms)
        # would stall the readers of either side at random; what exists now is left out.
        gc.collect()
        gc.freeze()
        try:
            await asyncio.sleep(2.0)  # every subscription registered on the bus
            # A few events each way first, not measured: the first executions in each server
            # process, and the first frames on each connection, build what later ones reuse.
            await _api_round(bus, sockets, organization_id, call_id, global_call_id, 0, WARM_UP)
            await raw.round(WARM_UP)
            seq = WARM_UP
            for _ in range(rounds):
                api_rounds.append(
                    await _api_round(
                        bus, sockets, organization_id, call_id, global_call_id, seq, events
                    )
                )
                seq += events
                raw_rounds.append(await raw.round(events))
        finally:
            gc.unfreeze()
            await asyncio.gather(*(socket.close() for socket in sockets), return_exceptions=True)
            await raw.close()
            await bus.close()
    return (
        _summary("api", subscribers, events, api_rounds),
        _summary("raw redis", subscribers, events, raw_rounds),
    )


def _summary(name: str, subscribers: int, events: int, rounds: list[_Round]) -> FanoutResult:
    p50s = [percentile(r.latencies, 0.5) for r in rounds]
    p99s = [percentile(r.latencies, 0.99) for r in rounds]
    return FanoutResult(
        name,
        subscribers,
        events,
        len(rounds),
        statistics.median(p50s),
        statistics.median(p99s),
        sum(len(r.latencies) for r in rounds),
        sum(r.mismatched for r in rounds),
        p50s,
        p99s,
    )


def expected_frame(event: Event, global_call_id: str) -> str:
    """The `next` message a subscriber of SUBSCRIPTION must receive for this status change,
    built by hand: compact JSON, ASCII, fields in the order the document selects them."""
    assert isinstance(event.payload, StatusChanged)
    previous = event.payload.previous_status
    node = {
        "__typename": "CallStatusChanged",
        "seq": event.seq,
        "occurredAt": event.occurred_at.isoformat(),
        "type": "STATUS_CHANGED",
        "status": event.payload.status.name,
        "previousStatus": previous.name if previous is not None else None,
        "call": {"id": global_call_id, "status": "IN_PROGRESS"},
    }
    message = {
        "id": OPERATION_ID,
        "type": "next",
        "payload": {"data": {"organizationCallUpdates": node}},
    }
    return json.dumps(message, separators=(",", ":"))


async def _api_round(
    bus: RedisBus,
    sockets: list[ClientConnection],
    organization_id: uuid.UUID,
    call_id: uuid.UUID,
    global_call_id: str,
    first_seq: int,
    events: int,
) -> _Round:
    result = _Round()
    expected: dict[int, str] = {}
    readers = [asyncio.create_task(_read(socket, result, expected, events)) for socket in sockets]
    for seq in range(first_seq + 1, first_seq + events + 1):
        event = Event(  # occurred_at: now, the moment the latency is measured from
            organization_id=organization_id,
            call_id=call_id,
            seq=seq,
            payload=StatusChanged(
                status=CallStatus.IN_PROGRESS,
                previous_status=CallStatus.RINGING,
                source=StatusSource.WORKER,
            ),
        )
        expected[seq] = expected_frame(event, global_call_id)
        await bus.publish(event)
        await asyncio.sleep(0.2)
    await asyncio.wait(readers, timeout=30)
    for reader in readers:
        reader.cancel()
    return result


async def subscribe(url: str, token: str, org: str) -> ClientConnection:
    socket = await connect(
        url, subprotocols=[Subprotocol("graphql-transport-ws")], max_queue=None, open_timeout=30
    )
    await socket.send(
        json.dumps({"type": "connection_init", "payload": {"authorization": f"Bearer {token}"}})
    )
    await socket.recv()
    await socket.send(
        json.dumps(
            {
                "id": OPERATION_ID,
                "type": "subscribe",
                "payload": {"query": SUBSCRIPTION, "variables": {"org": org}},
            }
        )
    )
    return socket


async def _read(
    socket: ClientConnection, result: _Round, expected: dict[int, str], events: int
) -> None:
    received = 0
    while received < events:
        raw = await socket.recv()
        message = json.loads(raw)
        if message.get("type") != "next":
            continue
        node = message["payload"]["data"]["organizationCallUpdates"]
        result.latencies.append(
            (time.time() - datetime.fromisoformat(node["occurredAt"]).timestamp()) * 1000
        )
        if raw != expected.get(node["seq"]):
            result.mismatched += 1
        received += 1


class _RawSubscribers:
    """N Redis pub/sub connections on one channel: the baseline."""

    def __init__(self, redis_url: str, clients: list[Redis], channel: str) -> None:
        self.redis_url = redis_url
        self.clients = clients
        self.channel = channel
        self.pubsubs = [client.pubsub(ignore_subscribe_messages=True) for client in clients]

    @classmethod
    async def open(cls, redis_url: str, subscribers: int) -> _RawSubscribers:
        channel = organization_channel(uuid.uuid4())
        raw = cls(redis_url, [Redis.from_url(redis_url) for _ in range(subscribers)], channel)
        await asyncio.gather(*(pubsub.subscribe(channel) for pubsub in raw.pubsubs))
        return raw

    async def round(self, events: int) -> _Round:
        result = _Round()

        async def read(pubsub: PubSub) -> None:
            received = 0
            while received < events:
                message = await pubsub.get_message(timeout=5.0)
                if message is None:
                    continue
                sent = json.loads(message["data"])["sent"]
                result.latencies.append((time.time() - sent) * 1000)
                received += 1

        readers = [asyncio.create_task(read(pubsub)) for pubsub in self.pubsubs]
        publisher = Redis.from_url(self.redis_url)
        try:
            for _ in range(events):
                await publisher.publish(self.channel, json.dumps({"sent": time.time()}))
                await asyncio.sleep(0.2)
            await asyncio.wait(readers, timeout=30)
        finally:
            for reader in readers:
                reader.cancel()
            await publisher.aclose()
        return result

    async def close(self) -> None:
        for pubsub, client in zip(self.pubsubs, self.clients, strict=True):
            await pubsub.aclose()
            await client.aclose()
