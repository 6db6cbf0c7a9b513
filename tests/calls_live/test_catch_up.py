"""Events the bus did not carry still reach `callEvents`, from the record, in seq order.

Three ways an event misses the bus: it was never published (another process
wrote it and the in-process bus cannot see it), it was published while this
server's Redis connection was down, or a later one overtook it.
"""

from __future__ import annotations

from core.events import call_channel, organization_channel
from core.services import calls
from core.services.calls import CallStatus
from tests.calls_live.conftest import LiveServer
from tests.calls_live.helpers import transcript
from tests.support.backends import SHORT_POLL_SECONDS, kill_pubsub, make_buses, needs_redis
from tests.support.ids import global_id
from tests.support.operations import CALL_EVENTS, ORGANIZATION_CALL_UPDATES
from tests.support.servers import running_app
from tests.support.waiting import subscribed
from tests.support.websocket import graphql_socket


async def test_embedded_mode_reads_the_record_for_events_of_another_process(make, server):
    # given: the embedded server's in-process bus, reading the record often, and a worker in
    # another process (simulated: events recorded but never published here)
    buses = make_buses("memory", poll_seconds=SHORT_POLL_SECONDS)
    tenant = await make.tenant()
    call, later_call = await make.call(tenant), await make.call(tenant)
    try:
        async with (
            running_app(server.settings, bus=buses.server) as app,
            graphql_socket(app.ws_url, tenant.token) as socket,
        ):
            await socket.subscribe("1", CALL_EVENTS, {"callId": global_id("Call", call.id)})
            await socket.subscribe(
                "2", ORGANIZATION_CALL_UPDATES, {"organizationId": tenant.organization_id}
            )
            await subscribed(buses.server, call_channel(call.id))
            await subscribed(buses.server, organization_channel(tenant.organization_uuid))

            # when
            await calls.apply_status(
                call_id=call.id, status=CallStatus.IN_PROGRESS, source="worker", bus=None
            )
            await transcript(call, "from the worker", None)
            await calls.apply_status(
                call_id=call.id, status=CallStatus.COMPLETED, source="worker", bus=None
            )

            # then
            on_call = [await socket.data("1", "callEvents") for _ in range(5)]
            assert await socket.next("1") == {"id": "1", "type": "complete"}
            on_organization = [await socket.data("2", "organizationCallUpdates") for _ in range(3)]
            # and nothing else: the next status change recorded is the next one delivered
            await calls.apply_status(
                call_id=later_call.id, status=CallStatus.IN_PROGRESS, source="worker", bus=None
            )
            sentinel = await socket.data("2", "organizationCallUpdates")
            assert socket.pending("2") == []
    finally:
        await buses.close()
    assert [(e["seq"], e["type"]) for e in on_call] == [
        (1, "STATUS_CHANGED"),
        (2, "STARTED"),
        (3, "TRANSCRIPT_SEGMENT"),
        (4, "STATUS_CHANGED"),
        (5, "ENDED"),
    ]
    assert [(e["seq"], e["type"]) for e in on_organization] == [
        (1, "STATUS_CHANGED"),
        (4, "STATUS_CHANGED"),
        (5, "ENDED"),
    ]
    assert {e["call"]["id"] for e in on_organization} == {global_id("Call", call.id)}
    assert (sentinel["call"]["id"], sentinel["seq"]) == (global_id("Call", later_call.id), 1)


async def test_a_gap_in_seq_is_filled_from_the_record(make, live: LiveServer):
    # given
    tenant = await make.tenant()
    call = await make.call(tenant)
    writer = live.buses.writer
    async with graphql_socket(live.ws_url, tenant.token) as socket:
        await socket.subscribe("1", CALL_EVENTS, {"callId": global_id("Call", call.id)})
        await subscribed(live.buses.server, call_channel(call.id))
        await transcript(call, "one", writer)
        assert (await socket.data("1", "callEvents"))["seq"] == 1

        # when: seq 2 is recorded but never published; seq 3 is published
        await transcript(call, "two", None)
        await transcript(call, "three", writer)

        # then
        received = [await socket.data("1", "callEvents") for _ in range(2)]
        # and nothing else: the next event published is the next one delivered
        await transcript(call, "four", writer)
        sentinel = await socket.data("1", "callEvents")
        assert socket.pending("1") == []
    assert [(e["seq"], e["text"]) for e in received] == [(2, "two"), (3, "three")]
    assert (sentinel["seq"], sentinel["text"]) == (4, "four")


@needs_redis
async def test_after_a_bus_outage_missed_events_come_from_the_record_without_gaps_or_duplicates(
    make, server
):
    # given: a live callEvents subscription on a server with its own Redis connection
    buses = make_buses("redis")
    assert buses.client_name is not None
    tenant = await make.tenant()
    call = await make.call(tenant)
    channel = call_channel(call.id)
    try:
        async with (
            running_app(server.settings, bus=buses.server) as app,
            graphql_socket(app.ws_url, tenant.token) as socket,
        ):
            await socket.subscribe("1", CALL_EVENTS, {"callId": global_id("Call", call.id)})
            await subscribed(buses.server, channel)
            await transcript(call, "before", buses.writer)
            received = [await socket.data("1", "callEvents")]

            # when: the server's pub/sub connection dies; events are written meanwhile
            assert await kill_pubsub(buses.client_name) == 1
            await transcript(call, "during, published to nowhere", buses.writer)
            await transcript(call, "during, never published", None)

            # then: the reconnected bus tells the subscription to read the record
            received += [await socket.data("1", "callEvents") for _ in range(2)]
            # and once the bus listens on Redis again, events come live
            await subscribed(buses.server, channel)
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
    assert [e.get("text") for e in received[:4]] == [
        "before",
        "during, published to nowhere",
        "during, never published",
        "after",
    ]
    assert len({e["id"] for e in received}) == 6


async def test_a_status_change_of_another_process_reaches_the_dashboard_after_a_later_live_one(
    make, server
):
    # given: the embedded server, a dashboard on it, and two calls of the organization
    buses = make_buses("memory", poll_seconds=SHORT_POLL_SECONDS)
    tenant = await make.tenant()
    worker_call, webhook_call = await make.call(tenant), await make.call(tenant)
    try:
        async with (
            running_app(server.settings, bus=buses.server) as app,
            graphql_socket(app.ws_url, tenant.token) as socket,
        ):
            await socket.subscribe(
                "org", ORGANIZATION_CALL_UPDATES, {"organizationId": tenant.organization_id}
            )
            await subscribed(buses.server, organization_channel(tenant.organization_uuid))

            # when: the worker's process records a change this bus never hears of, and then a
            # webhook in this process publishes a later one, which arrives first
            await calls.apply_status(
                call_id=worker_call.id, status=CallStatus.IN_PROGRESS, source="worker", bus=None
            )
            await calls.apply_status(
                call_id=webhook_call.id,
                status=CallStatus.IN_PROGRESS,
                source="livekit",
                bus=buses.writer,
            )

            # then both reach the dashboard: the earlier one from the record
            received = [await socket.data("org", "organizationCallUpdates") for _ in range(2)]
    finally:
        await buses.close()
    assert sorted(e["call"]["id"] for e in received) == sorted(
        [global_id("Call", worker_call.id), global_id("Call", webhook_call.id)]
    )
