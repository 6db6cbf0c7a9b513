"""Two API processes sharing Redis: a client on either sees what any process publishes."""

from __future__ import annotations

from core.events import RedisBus, call_channel, organization_channel
from core.services import calls
from core.services.calls import CallStatus
from tests.calls_live.helpers import transcript
from tests.support.backends import needs_redis, redis_url
from tests.support.ids import global_id
from tests.support.operations import CALL_EVENTS, ORGANIZATION_CALL_UPDATES
from tests.support.servers import running_app
from tests.support.waiting import subscribed
from tests.support.websocket import graphql_socket

pytestmark = needs_redis


async def test_a_client_on_server_a_gets_events_published_through_server_b(make, server):
    # given: API process A and B, each with its own bus, and a worker with a third
    bus_a, bus_b, worker_bus = RedisBus(redis_url()), RedisBus(redis_url()), RedisBus(redis_url())
    tenant = await make.tenant()
    call = await make.call(tenant)
    try:
        async with (
            running_app(server.settings, bus=bus_a) as app_a,
            running_app(server.settings, bus=bus_b) as app_b,
            graphql_socket(app_a.ws_url, tenant.token) as on_a,
            graphql_socket(app_b.ws_url, tenant.token) as on_b,
        ):
            for socket in (on_a, on_b):
                await socket.subscribe("call", CALL_EVENTS, {"callId": global_id("Call", call.id)})
                await socket.subscribe(
                    "org", ORGANIZATION_CALL_UPDATES, {"organizationId": tenant.organization_id}
                )
            for channel in (call_channel(call.id), organization_channel(tenant.organization_uuid)):
                await subscribed(bus_a, channel)
                await subscribed(bus_b, channel)

            # when: a webhook on B and the worker publish
            await calls.apply_status(
                call_id=call.id, status=CallStatus.IN_PROGRESS, source="livekit", bus=bus_b
            )
            await transcript(call, "hello from the worker", worker_bus)
            await calls.apply_status(
                call_id=call.id, status=CallStatus.COMPLETED, source="twilio", bus=bus_b
            )

            # then: both servers deliver everything, in order
            streams = {}
            for name, socket in (("a", on_a), ("b", on_b)):
                streams[name] = [await socket.data("call", "callEvents") for _ in range(5)]
                assert await socket.next("call") == {"id": "call", "type": "complete"}
                streams[f"{name}-org"] = [
                    await socket.data("org", "organizationCallUpdates") for _ in range(3)
                ]
    finally:
        for bus in (bus_a, bus_b, worker_bus):
            await bus.close()
    expected = [
        (1, "STATUS_CHANGED"),
        (2, "STARTED"),
        (3, "TRANSCRIPT_SEGMENT"),
        (4, "STATUS_CHANGED"),
        (5, "ENDED"),
    ]
    assert [(e["seq"], e["type"]) for e in streams["a"]] == expected
    assert [(e["seq"], e["type"]) for e in streams["b"]] == expected
    assert streams["a"] == streams["b"]
    assert [e["seq"] for e in streams["a-org"]] == [1, 4, 5]
    assert [e["id"] for e in streams["a-org"]] == [e["id"] for e in streams["b-org"]]
