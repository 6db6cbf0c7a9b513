"""Redis stopped (SIGKILL) and restarted under live subscriptions.

Our own redis-server on a free port carries the bus of an in-process API server
(the subscriber side) and of a writer with its own connection (the worker's side).
While Redis is dead the writer keeps recording events (publishing logs and drops),
GraphQL over HTTP keeps answering and `/readyz` of an API configured with that
Redis says `redis: false`. When Redis comes back on the same port, the subscribers
get their streams back by themselves: what was written during the outage comes
from the record, then live events flow again, every event once, `seq` contiguous.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from core import events
from core.events import RedisBus, call_channel, organization_channel
from core.services import calls
from core.services.calls import CallStatus
from graphql_api import ids
from orm.models import CallEvent
from tests.conftest import GraphQLClient, RunningServer
from tests.reliability.helpers import (
    RedisServer,
    api_process,
    eventually,
    new_call,
    new_tenant,
    redis_binary,
)
from tests.support.gql_ws import GraphQLWebSocket
from tests.support.servers import running_app

CALL_EVENTS = """
subscription($callId: ID!) { callEvents(callId: $callId) { id type seq callId } }
"""
ORGANIZATION_UPDATES = """
subscription($organizationId: ID!) {
  organizationCallUpdates(organizationId: $organizationId) { id type seq callId }
}
"""
CALL_TIMELINE = """
query($id: ID!) { call(id: $id) { status timeline { seq type } } }
"""
ME = "query { me { email } }"

# How long the streams may take to come back once Redis is up again: the bus reconnects
# with a backoff of at most 2 s; anything near the 15 s safety poll means it did not work.
RECOVERY_SECONDS = 8.0
# A live event after recovery must come by pub/sub, far sooner than the 15 s safety poll.
LIVE_SECONDS = 3.0


@pytest_asyncio.fixture
async def redis_server(tmp_path: Path) -> AsyncIterator[RedisServer]:
    redis = RedisServer(redis_binary(), tmp_path)
    await redis.start()
    try:
        yield redis
    finally:
        redis.stop()


async def _next_event(socket: GraphQLWebSocket, operation: str, field: str, timeout: float) -> dict:
    message = await socket.next(operation, timeout)
    assert message["type"] == "next", message
    assert "errors" not in message["payload"], message
    return message["payload"]["data"][field]


async def test_streams_come_back_complete_after_redis_is_killed_and_restarted(
    server: RunningServer,
    gql: GraphQLClient,
    redis_server: RedisServer,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
):
    # given: an organization with a ringing call and a second one
    tenant = await new_tenant(gql)
    call, other = await new_call(tenant), await new_call(tenant)
    call_id = ids.encode("Call", call.id)
    other_id = ids.encode("Call", other.id)
    # and an API process configured with our Redis, for /readyz (started meanwhile)
    child_env = {"DATABASE_URL": server.settings.database_url, "REDIS_URL": redis_server.url}
    # and an API server whose subscriptions listen on our Redis, a writer on its own connection
    server_bus, writer = RedisBus(redis_server.url), RedisBus(redis_server.url)
    socket = None
    try:
        async with (
            api_process(child_env, tmp_path, wait=False) as child,
            running_app(server.settings, bus=server_bus) as app,
        ):
            http = GraphQLClient(httpx.AsyncClient(base_url=app.base_url, timeout=10))
            socket = await GraphQLWebSocket.open(app.ws_url, tenant.owner.token)
            await socket.subscribe("call", CALL_EVENTS, {"callId": call_id})
            await socket.subscribe(
                "org", ORGANIZATION_UPDATES, {"organizationId": tenant.organization_id}
            )
            await eventually(
                lambda: (
                    server_bus.subscriber_count(call_channel(call.id)) == 1
                    and server_bus.subscriber_count(organization_channel(tenant.organization_uuid))
                    == 1
                )
            )
            streamed: list[dict] = []
            dashboard: list[dict] = []

            # when the call rings, is answered and talks while Redis is up
            await calls.record_event(
                call_id=call.id,
                type=events.CALL_STATUS_CHANGED,
                data={"from": None, "to": "ringing", "source": "twilio"},
                bus=writer,
            )
            await _say(call.id, "before the outage", writer)
            await calls.apply_status(
                call_id=call.id, status=CallStatus.IN_PROGRESS, source="worker", bus=writer
            )
            # then both streams are live
            for _ in range(3):
                streamed.append(await _next_event(socket, "call", "callEvents", LIVE_SECONDS))
            for _ in range(2):
                dashboard.append(
                    await _next_event(socket, "org", "organizationCallUpdates", LIVE_SECONDS)
                )
            assert [e["seq"] for e in streamed] == [1, 2, 3]

            # when Redis dies without a word
            redis_server.kill()
            caplog.clear()
            with caplog.at_level(logging.WARNING, logger="core.events"):
                # and the worker keeps writing: two transcript turns, and the other call answered
                started = time.monotonic()
                await _say(call.id, "during the outage, one", writer)
                await _say(call.id, "during the outage, two", writer)
                await calls.apply_status(
                    call_id=other.id, status=CallStatus.IN_PROGRESS, source="worker", bus=writer
                )
                writing_took = time.monotonic() - started

            # then the writes went to the record, without failing or hanging the writer
            assert writing_took < 10, writing_took
            dropped = [
                r for r in caplog.records if r.getMessage().startswith("event not published")
            ]
            assert len(dropped) == 3, [r.getMessage() for r in caplog.records]
            assert await CallEvent.filter(call_id=call.id).count() == 5
            # and GraphQL over HTTP keeps answering, with the record as it is
            record = (await http.data(CALL_TIMELINE, {"id": call_id}, token=tenant.owner.token))[
                "call"
            ]
            assert record["status"] == "IN_PROGRESS"
            assert [e["seq"] for e in record["timeline"]] == [1, 2, 3, 4, 5]
            await child.wait_until_up()
            async with httpx.AsyncClient(base_url=child.base_url, timeout=10) as child_http:
                me = await child_http.post(
                    "/graphql",
                    json={"query": ME},
                    headers={"Authorization": f"Bearer {tenant.owner.token}"},
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
                back_at = time.monotonic()

                # then the subscribers get what they missed, from the record, within seconds
                for _ in range(2):
                    streamed.append(
                        await _next_event(socket, "call", "callEvents", RECOVERY_SECONDS)
                    )
                dashboard.append(
                    await _next_event(socket, "org", "organizationCallUpdates", RECOVERY_SECONDS)
                )
                recovered_in = time.monotonic() - back_at
                assert recovered_in < RECOVERY_SECONDS
                assert [e["seq"] for e in streamed] == [1, 2, 3, 4, 5]
                assert dashboard[-1]["callId"] == other_id
                # and /readyz is ready again, by itself
                await eventually(lambda: _ready(child_http), timeout=RECOVERY_SECONDS, every=0.2)

            # when the call goes on and ends with Redis up again
            await _say(call.id, "after the outage", writer)
            await calls.apply_status(
                call_id=call.id,
                status=CallStatus.COMPLETED,
                source="worker",
                reason="caller_hung_up",
                bus=writer,
            )

            # then those events arrive live (pub/sub, not the 15 s safety poll) and the call's
            # stream completes after call.ended
            for _ in range(3):
                streamed.append(await _next_event(socket, "call", "callEvents", LIVE_SECONDS))
            assert (await socket.next("call", LIVE_SECONDS))["type"] == "complete"
            for _ in range(2):
                dashboard.append(
                    await _next_event(socket, "org", "organizationCallUpdates", LIVE_SECONDS)
                )

            # and the call's stream is the record: every event once, seq 1..8 without a gap
            rows = await CallEvent.filter(call_id=call.id).order_by("seq")
            assert [e["seq"] for e in streamed] == list(range(1, 9))
            assert [e["id"] for e in streamed] == [str(row.id) for row in rows]
            assert [e["type"] for e in streamed] == [row.type for row in rows]
            assert {e["callId"] for e in streamed} == {call_id}
            # and the dashboard got every status change of both calls, once each
            status_rows = await CallEvent.filter(
                call_id__in=[call.id, other.id],
                type__in=[events.CALL_STATUS_CHANGED, events.CALL_ENDED],
            ).order_by("occurred_at", "seq")
            assert len(dashboard) == len(status_rows) == 5
            assert [e["id"] for e in dashboard] == [str(row.id) for row in status_rows]
            assert [(e["callId"], e["seq"]) for e in dashboard] == [
                (call_id, 1),
                (call_id, 3),
                (other_id, 1),
                (call_id, 7),
                (call_id, 8),
            ]
            # and nothing more is on its way
            with pytest.raises(TimeoutError):
                await socket.next("org", 0.5)
            await http.http.aclose()
    finally:
        if socket is not None:
            await socket.close()
        await server_bus.close()
        await writer.close()


async def _say(call_id, text: str, bus: RedisBus) -> None:  # type: ignore[no-untyped-def]
    event = await calls.record_event(
        call_id=call_id,
        type=events.CALL_TRANSCRIPT,
        data={"speaker": "caller", "text": text},
        bus=bus,
    )
    assert event is not None


async def _ready(http: httpx.AsyncClient) -> bool:
    response = await http.get("/readyz")
    return response.status_code == 200 and response.json()["checks"] == {
        "database": True,
        "redis": True,
    }
