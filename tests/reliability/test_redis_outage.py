"""Redis stopped (SIGKILL) and restarted under live subscriptions.

Our own redis-server on a free port carries the bus of an in-process API server
(the subscriber side) and of a writer with its own connection (the worker's side).
While Redis is dead the writer keeps recording events (publishing logs and drops),
GraphQL over HTTP keeps answering and `/readyz` of an API configured with that
Redis says `redis: false`. When Redis comes back on the same port, the subscribers
get their streams back by themselves: what was written during the outage comes
from the record, then live events flow again, every event once, `seq` contiguous.

The subscriber's bus never polls the record on a timer here, so what comes after the
outage can only come from the reconnection, and later events only from pub/sub.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from core.call_events import (
    DASHBOARD_TYPES,
    CallEventType,
    Speaker,
    StatusChanged,
    StatusSource,
    TranscriptSegment,
)
from core.events import RedisBus, call_channel, organization_channel
from core.services import calls
from core.services.calls import CallStatus
from graphql_api.calls.events import OBJECT_TYPES
from orm.models import CallEvent
from tests.reliability.helpers import RedisServer, api_process, redis_binary
from tests.support.graphql import GraphQLClient
from tests.support.ids import global_id
from tests.support.logs import capture_logs
from tests.support.operations import CALL_EVENTS, ORGANIZATION_CALL_UPDATES
from tests.support.servers import RunningServer, running_app
from tests.support.waiting import DEADLINE, eventually, subscribed
from tests.support.websocket import GraphQLSocket, graphql_socket

pytestmark = pytest.mark.slow

CALL_TIMELINE = """
query CallTimeline($id: ID!) { call(id: $id) { status timeline { seq type } } }
"""
ME = "query MyEmail { me { email } }"
# Longer than the test: the subscriber's bus never reads the record on its own.
NO_SAFETY_POLL_SECONDS = 3600.0


@pytest_asyncio.fixture
async def redis_server(tmp_path: Path) -> AsyncIterator[RedisServer]:
    redis = RedisServer(redis_binary(), tmp_path)
    await redis.start()
    try:
        yield redis
    finally:
        redis.stop()


async def test_streams_come_back_complete_after_redis_is_killed_and_restarted(
    server: RunningServer, make, redis_server: RedisServer, tmp_path: Path
):
    # given: an organization with a ringing call, a second one, and a third for later
    tenant = await make.tenant("Reliable Co")
    call, other, later = [await make.call(tenant) for _ in range(3)]
    call_id, other_id = global_id("Call", call.id), global_id("Call", other.id)
    channels = (call_channel(call.id), organization_channel(tenant.organization_uuid))
    # and an API process configured with our Redis, for /readyz (starting meanwhile)
    child_env = {"DATABASE_URL": server.settings.database_url, "REDIS_URL": redis_server.url}
    # and an API server whose subscriptions listen on our Redis, a writer on its own connection
    server_bus = RedisBus(redis_server.url, poll_seconds=NO_SAFETY_POLL_SECONDS)
    writer = RedisBus(redis_server.url)
    try:
        async with (
            api_process(child_env, tmp_path, wait=False) as child,
            running_app(server.settings, bus=server_bus) as app,
            httpx.AsyncClient(base_url=app.base_url, timeout=DEADLINE) as app_http,
            graphql_socket(app.ws_url, tenant.token) as socket,
        ):
            await socket.subscribe("call", CALL_EVENTS, {"callId": call_id})
            await socket.subscribe(
                "org", ORGANIZATION_CALL_UPDATES, {"organizationId": tenant.organization_id}
            )
            for channel in channels:
                await subscribed(server_bus, channel)
            streamed: list[dict] = []
            dashboard: list[dict] = []

            # when the call rings, is answered and talks while Redis is up
            await calls.record_event(
                call_id=call.id,
                payload=StatusChanged(
                    status=CallStatus.RINGING, previous_status=None, source=StatusSource.TWILIO
                ),
                bus=writer,
            )
            await _say(call.id, "before the outage", writer)
            await calls.apply_status(
                call_id=call.id, status=CallStatus.IN_PROGRESS, source="worker", bus=writer
            )
            # then both streams are live (the answer is a status change and the call's start)
            streamed += await _read(socket, "call", "callEvents", 4)
            dashboard += await _read(socket, "org", "organizationCallUpdates", 2)
            assert [e["seq"] for e in streamed] == [1, 2, 3, 4]
            # (the child checks Redis before it serves: it must be up before Redis dies)
            await child.wait_until_up()

            # when Redis dies without a word
            redis_server.kill()
            with capture_logs("core.events", logging.WARNING) as logged:
                # and the worker keeps writing: two transcript turns, and the other call answered
                await asyncio.wait_for(
                    _write_during_the_outage(call.id, other.id, writer), DEADLINE
                )

            # then the writes went to the record, without failing or hanging the writer
            dropped = [
                r for r in logged.records if r.getMessage().startswith("event not published")
            ]
            assert len(dropped) == 4, [r.getMessage() for r in logged.records]
            assert await CallEvent.filter(call_id=call.id).count() == 6
            # and GraphQL over HTTP keeps answering, with the record as it is
            record = (
                await GraphQLClient(app_http).data(
                    CALL_TIMELINE, {"id": call_id}, token=tenant.token
                )
            )["call"]
            assert record["status"] == "IN_PROGRESS"
            assert [e["seq"] for e in record["timeline"]] == [1, 2, 3, 4, 5, 6]
            async with httpx.AsyncClient(base_url=child.base_url, timeout=DEADLINE) as child_http:
                me = await child_http.post(
                    "/graphql",
                    json={"query": ME},
                    headers={"Authorization": f"Bearer {tenant.token}"},
                )
                assert me.status_code == 200
                assert me.json() == {"data": {"me": {"email": tenant.owner.email}}}
                # and /readyz of the API configured with that Redis says so
                ready = await child_http.get("/readyz")
                assert ready.status_code == 503
                assert ready.json() == {
                    "status": "unavailable",
                    "checks": {"database": True, "redis": False},
                }

                # when Redis comes back on the same port
                await redis_server.start()

                # then the subscribers get what they missed, from the record
                streamed += await _read(socket, "call", "callEvents", 2)
                dashboard += await _read(socket, "org", "organizationCallUpdates", 1)
                assert [e["seq"] for e in streamed] == [1, 2, 3, 4, 5, 6]
                assert dashboard[-1]["call"]["id"] == other_id
                # and /readyz is ready again, by itself
                await eventually(lambda: _ready(child_http), what="/readyz ready again")

            # when the call goes on and ends with Redis up again (and listened to again)
            for channel in channels:
                await subscribed(server_bus, channel)
            await _say(call.id, "after the outage", writer)
            await calls.apply_status(
                call_id=call.id,
                status=CallStatus.COMPLETED,
                source="worker",
                reason="caller_hung_up",
                bus=writer,
            )

            # then those events arrive live, and the call's stream completes after call.ended
            streamed += await _read(socket, "call", "callEvents", 3)
            assert await socket.next("call") == {"id": "call", "type": "complete"}
            dashboard += await _read(socket, "org", "organizationCallUpdates", 2)

            # and the call's stream is the record: every event once, seq 1..9 without a gap
            rows = await CallEvent.filter(call_id=call.id).order_by("seq")
            assert [e["seq"] for e in streamed] == list(range(1, 10))
            assert [e["id"] for e in streamed] == [_global_id(row) for row in rows]
            assert [e["type"] for e in streamed] == [CallEventType(row.type).name for row in rows]
            assert {e["call"]["id"] for e in streamed} == {call_id}
            # and the dashboard got every status change of both calls, once each
            status_rows = await CallEvent.filter(
                call_id__in=[call.id, other.id],
                type__in=[event_type.value for event_type in DASHBOARD_TYPES],
            ).order_by("occurred_at", "seq")
            assert len(dashboard) == len(status_rows) == 5
            assert [e["id"] for e in dashboard] == [_global_id(row) for row in status_rows]
            assert [(e["call"]["id"], e["seq"]) for e in dashboard] == [
                (call_id, 1),
                (call_id, 3),
                (other_id, 1),
                (call_id, 8),
                (call_id, 9),
            ]
            # and nothing more was on its way: the next status change is the next one delivered
            await calls.apply_status(
                call_id=later.id, status=CallStatus.IN_PROGRESS, source="worker", bus=writer
            )
            sentinel = await socket.data("org", "organizationCallUpdates")
            assert (sentinel["call"]["id"], sentinel["seq"]) == (global_id("Call", later.id), 1)
            assert socket.pending("org") == []
    finally:
        await server_bus.close()
        await writer.close()


async def _read(socket: GraphQLSocket, operation: str, field: str, count: int) -> list[dict]:
    return [await socket.data(operation, field) for _ in range(count)]


async def _write_during_the_outage(
    call_id: uuid.UUID, other_id: uuid.UUID, writer: RedisBus
) -> None:
    await _say(call_id, "during the outage, one", writer)
    await _say(call_id, "during the outage, two", writer)
    await calls.apply_status(
        call_id=other_id, status=CallStatus.IN_PROGRESS, source="worker", bus=writer
    )


async def _say(call_id: uuid.UUID, text: str, bus: RedisBus) -> None:
    event = await calls.record_event(
        call_id=call_id, payload=TranscriptSegment(speaker=Speaker.CALLER, text=text), bus=bus
    )
    assert event is not None


def _global_id(row: CallEvent) -> str:
    """The id GraphQL gives a stored event (its object type's name and the row's id)."""
    return global_id(OBJECT_TYPES[CallEventType(row.type)].__name__, row.id)


async def _ready(http: httpx.AsyncClient) -> bool:
    response = await http.get("/readyz")
    return response.status_code == 200 and response.json()["checks"] == {
        "database": True,
        "redis": True,
    }
