"""Two API processes sharing Redis: a client on either sees what any process publishes."""

from __future__ import annotations

from core.events import RedisBus
from core.services import calls
from core.services.calls import CallStatus
from tests.calls_live.helpers import (
    call_global_id,
    graphql_socket,
    needs_redis,
    new_call,
    new_tenant,
    redis_url,
    running_server,
    transcript,
)
from tests.calls_live.test_call_events_subscription import CALL_EVENTS
from tests.calls_live.test_organization_call_updates import ORGANIZATION_CALL_UPDATES

pytestmark = needs_redis


async def test_a_client_on_server_a_gets_events_published_through_server_b(gql, server):
    # given: API process A and B, each with its own bus, and a worker with a third
    bus_a, bus_b, worker_bus = RedisBus(redis_url()), RedisBus(redis_url()), RedisBus(redis_url())
    tenant = await new_tenant(gql)
    call = await new_call(tenant)
    try:
        async with (
            running_server(server.settings, bus_a) as url_a,
            running_server(server.settings, bus_b) as url_b,
            graphql_socket(url_a, tenant.owner.token) as on_a,
            graphql_socket(url_b, tenant.owner.token) as on_b,
        ):
            for socket in (on_a, on_b):
                await socket.subscribe("call", CALL_EVENTS, {"callId": call_global_id(call)})
                await socket.subscribe(
                    "org", ORGANIZATION_CALL_UPDATES, {"organizationId": tenant.organization_id}
                )
            await on_a.nothing_for("call", 0.2)

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
                streams[name] = [await socket.data("call", "callEvents") for _ in range(4)]
                assert await socket.next("call") == {"id": "call", "type": "complete"}
                streams[f"{name}-org"] = [
                    await socket.data("org", "organizationCallUpdates") for _ in range(3)
                ]
    finally:
        for bus in (bus_a, bus_b, worker_bus):
            await bus.close()
    expected = [
        (1, "call.status_changed"),
        (2, "call.transcript"),
        (3, "call.status_changed"),
        (4, "call.ended"),
    ]
    assert [(e["seq"], e["type"]) for e in streams["a"]] == expected
    assert [(e["seq"], e["type"]) for e in streams["b"]] == expected
    assert streams["a"] == streams["b"]
    assert [e["seq"] for e in streams["a-org"]] == [1, 3, 4]
    assert [e["id"] for e in streams["a-org"]] == [e["id"] for e in streams["b-org"]]
