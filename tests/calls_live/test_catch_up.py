"""Events the bus did not carry still reach `callEvents`, from the record, in seq order.

Three ways an event misses the bus: it was never published (another process
wrote it and the in-process bus cannot see it), it was published while this
server's Redis connection was down, or a later one overtook it.
"""

from __future__ import annotations

import pytest

from core.events import InProcessBus
from core.services import calls
from core.services.calls import CallStatus
from tests.calls_live.conftest import LiveServer
from tests.calls_live.helpers import (
    call_global_id,
    graphql_socket,
    kill_pubsub,
    make_buses,
    needs_redis,
    new_call,
    new_tenant,
    running_server,
    transcript,
)
from tests.calls_live.test_call_events_subscription import CALL_EVENTS
from tests.calls_live.test_organization_call_updates import ORGANIZATION_CALL_UPDATES


async def test_embedded_mode_reads_the_record_for_events_of_another_process(
    gql, server, monkeypatch: pytest.MonkeyPatch
):
    # given: the embedded server's in-process bus, and a worker in another process
    # (simulated: events recorded but never published here)
    monkeypatch.setattr(InProcessBus, "poll_seconds", 0.2)
    buses = make_buses("memory")
    tenant = await new_tenant(gql)
    call = await new_call(tenant)
    async with (
        running_server(server.settings, buses.server) as ws_url,
        graphql_socket(ws_url, tenant.owner.token) as socket,
    ):
        await socket.subscribe("1", CALL_EVENTS, {"callId": call_global_id(call)})
        await socket.subscribe(
            "2", ORGANIZATION_CALL_UPDATES, {"organizationId": tenant.organization_id}
        )
        await socket.nothing_for("1", 0.3)

        # when
        await calls.apply_status(
            call_id=call.id, status=CallStatus.IN_PROGRESS, source="worker", bus=None
        )
        await transcript(call, "from the worker", None)
        await calls.apply_status(
            call_id=call.id, status=CallStatus.COMPLETED, source="worker", bus=None
        )

        # then
        on_call = [await socket.data("1", "callEvents") for _ in range(4)]
        assert await socket.next("1") == {"id": "1", "type": "complete"}
        on_organization = [await socket.data("2", "organizationCallUpdates") for _ in range(3)]
        await socket.nothing_for("2")
    await buses.close()
    assert [(e["seq"], e["type"]) for e in on_call] == [
        (1, "call.status_changed"),
        (2, "call.transcript"),
        (3, "call.status_changed"),
        (4, "call.ended"),
    ]
    assert [(e["seq"], e["type"]) for e in on_organization] == [
        (1, "call.status_changed"),
        (3, "call.status_changed"),
        (4, "call.ended"),
    ]


async def test_a_gap_in_seq_is_filled_from_the_record(gql, live: LiveServer):
    # given
    tenant = await new_tenant(gql)
    call = await new_call(tenant)
    writer = live.buses.writer
    async with graphql_socket(live.ws_url, tenant.owner.token) as socket:
        await socket.subscribe("1", CALL_EVENTS, {"callId": call_global_id(call)})
        await transcript(call, "one", writer)
        assert (await socket.data("1", "callEvents"))["seq"] == 1

        # when: seq 2 is recorded but never published; seq 3 is published
        await transcript(call, "two", None)
        await transcript(call, "three", writer)

        # then
        received = [await socket.data("1", "callEvents") for _ in range(2)]
        await socket.nothing_for("1")
    assert [(e["seq"], e["data"]["text"]) for e in received] == [(2, "two"), (3, "three")]


@needs_redis
async def test_after_a_bus_outage_missed_events_come_from_the_record_without_gaps_or_duplicates(
    gql, server
):
    # given: a live callEvents subscription on a server with its own Redis connection
    buses = make_buses("redis")
    assert buses.client_name is not None
    tenant = await new_tenant(gql)
    call = await new_call(tenant)
    try:
        async with (
            running_server(server.settings, buses.server) as ws_url,
            graphql_socket(ws_url, tenant.owner.token) as socket,
        ):
            await socket.subscribe("1", CALL_EVENTS, {"callId": call_global_id(call)})
            await transcript(call, "before", buses.writer)
            received = [await socket.data("1", "callEvents")]

            # when: the server's pub/sub connection dies; events are written meanwhile
            assert await kill_pubsub(buses.client_name) == 1
            await transcript(call, "during, published to nowhere", buses.writer)
            await transcript(call, "during, never published", None)

            # then: the reconnected bus tells the subscription to read the record
            received += [await socket.data("1", "callEvents") for _ in range(2)]
            await transcript(call, "after", buses.writer)
            received.append(await socket.data("1", "callEvents"))
            await calls.apply_status(
                call_id=call.id, status=CallStatus.COMPLETED, source="twilio", bus=buses.writer
            )
            received += [await socket.data("1", "callEvents") for _ in range(2)]
            assert await socket.next("1") == {"id": "1", "type": "complete"}
    finally:
        await buses.close()
    assert [e["seq"] for e in received] == [1, 2, 3, 4, 5, 6]
    assert [e["data"].get("text") for e in received[:4]] == [
        "before",
        "during, published to nowhere",
        "during, never published",
        "after",
    ]
    assert len({e["id"] for e in received}) == 6
