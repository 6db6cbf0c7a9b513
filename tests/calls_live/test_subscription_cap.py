"""The per-connection cap on subscriptions: the one over it is refused, the others go on."""

from __future__ import annotations

from core.services import calls
from core.services.calls import CallStatus
from tests.calls_live.helpers import (
    Buses,
    call_global_id,
    graphql_socket,
    new_call,
    new_tenant,
    running_server,
    transcript,
)
from tests.calls_live.test_call_events_subscription import CALL_EVENTS
from tests.calls_live.test_organization_call_updates import ORGANIZATION_CALL_UPDATES


async def test_a_third_subscription_is_refused_and_the_first_two_keep_working(
    gql, server, buses: Buses
):
    # given: a server allowing two subscriptions per connection, and a socket using both
    settings = server.settings.model_copy(update={"max_subscriptions_per_connection": 2})
    tenant = await new_tenant(gql)
    call = await new_call(tenant)
    writer = buses.writer
    async with (
        running_server(settings, buses.server) as ws_url,
        graphql_socket(ws_url, tenant.owner.token) as socket,
    ):
        await socket.subscribe("1", CALL_EVENTS, {"callId": call_global_id(call)})
        await socket.subscribe(
            "2", ORGANIZATION_CALL_UPDATES, {"organizationId": tenant.organization_id}
        )
        await socket.nothing_for("1", 0.2)

        # when
        await socket.subscribe("3", CALL_EVENTS, {"callId": call_global_id(call)})
        refused = await socket.next("3")
        await calls.apply_status(
            call_id=call.id, status=CallStatus.IN_PROGRESS, source="livekit", bus=writer
        )
        await transcript(call, "still here", writer)

        # then
        on_call = [await socket.data("1", "callEvents") for _ in range(2)]
        on_organization = await socket.data("2", "organizationCallUpdates")
        await socket.nothing_for("3")
    assert refused["type"] == "error"
    assert [error["message"] for error in refused["payload"]] == ["Subscription limit reached"]
    assert [(e["seq"], e["type"]) for e in on_call] == [
        (1, "call.status_changed"),
        (2, "call.transcript"),
    ]
    assert (on_organization["seq"], on_organization["type"]) == (1, "call.status_changed")


async def test_a_completed_subscription_frees_its_place(gql, server, buses: Buses):
    # given: both places taken, then one stream completed by the client
    settings = server.settings.model_copy(update={"max_subscriptions_per_connection": 2})
    tenant = await new_tenant(gql)
    call = await new_call(tenant)
    async with (
        running_server(settings, buses.server) as ws_url,
        graphql_socket(ws_url, tenant.owner.token) as socket,
    ):
        await socket.subscribe("1", CALL_EVENTS, {"callId": call_global_id(call)})
        await socket.subscribe(
            "2", ORGANIZATION_CALL_UPDATES, {"organizationId": tenant.organization_id}
        )
        await socket.nothing_for("1", 0.2)
        await socket.complete("1")
        await socket.nothing_for("1", 0.2)

        # when
        await socket.subscribe("3", CALL_EVENTS, {"callId": call_global_id(call)})
        await transcript(call, "hello", buses.writer)

        # then
        received = await socket.data("3", "callEvents")
        await socket.nothing_for("1", 0.1)
    assert (received["seq"], received["data"]["text"]) == (1, "hello")
