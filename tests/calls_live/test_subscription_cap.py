"""The per-connection cap on subscriptions: the one over it is refused, the others go on."""

from __future__ import annotations

from core.events import call_channel, organization_channel
from core.services import calls
from core.services.calls import CallStatus
from tests.calls_live.helpers import transcript
from tests.support.backends import Buses
from tests.support.ids import global_id
from tests.support.operations import CALL_EVENTS, ORGANIZATION_CALL_UPDATES
from tests.support.servers import running_app
from tests.support.waiting import subscribed, unsubscribed
from tests.support.websocket import graphql_socket


async def test_a_third_subscription_is_refused_and_the_first_two_keep_working(
    make, server, buses: Buses
):
    # given: a server allowing two subscriptions per connection, and a socket using both
    settings = server.settings.model_copy(update={"max_subscriptions_per_connection": 2})
    tenant = await make.tenant()
    call = await make.call(tenant)
    call_id = global_id("Call", call.id)
    writer = buses.writer
    async with (
        running_app(settings, bus=buses.server) as app,
        graphql_socket(app.ws_url, tenant.token) as socket,
    ):
        await socket.subscribe("1", CALL_EVENTS, {"callId": call_id})
        await socket.subscribe(
            "2", ORGANIZATION_CALL_UPDATES, {"organizationId": tenant.organization_id}
        )
        await subscribed(buses.server, call_channel(call.id))
        await subscribed(buses.server, organization_channel(tenant.organization_uuid))

        # when
        await socket.subscribe("3", CALL_EVENTS, {"callId": call_id})
        refused = await socket.next("3")
        await calls.apply_status(
            call_id=call.id, status=CallStatus.IN_PROGRESS, source="livekit", bus=writer
        )
        await transcript(call, "still here", writer)

        # then
        on_call = [await socket.data("1", "callEvents") for _ in range(3)]
        on_organization = await socket.data("2", "organizationCallUpdates")
        # and the refused one never listened: the call's one stream is the first
        assert buses.server.subscriber_count(call_channel(call.id)) == 1
        assert socket.pending("3") == []
    assert refused["type"] == "error"
    assert [error["message"] for error in refused["payload"]] == ["Subscription limit reached"]
    assert [(e["seq"], e["type"]) for e in on_call] == [
        (1, "STATUS_CHANGED"),
        (2, "STARTED"),
        (3, "TRANSCRIPT_SEGMENT"),
    ]
    assert (on_organization["seq"], on_organization["type"]) == (1, "STATUS_CHANGED")


async def test_a_completed_subscription_frees_its_place(make, server, buses: Buses):
    # given: both places taken, then one stream completed by the client
    settings = server.settings.model_copy(update={"max_subscriptions_per_connection": 2})
    tenant = await make.tenant()
    call = await make.call(tenant)
    call_id = global_id("Call", call.id)
    channel = call_channel(call.id)
    async with (
        running_app(settings, bus=buses.server) as app,
        graphql_socket(app.ws_url, tenant.token) as socket,
    ):
        await socket.subscribe("1", CALL_EVENTS, {"callId": call_id})
        await socket.subscribe(
            "2", ORGANIZATION_CALL_UPDATES, {"organizationId": tenant.organization_id}
        )
        await subscribed(buses.server, channel)
        await socket.complete("1")
        # (the server forgets the operation before it stops its stream)
        await unsubscribed(buses.server, channel)
        await socket.subscribe("3", CALL_EVENTS, {"callId": call_id})
        await subscribed(buses.server, channel)
        await transcript(call, "hello", buses.writer)

        # then
        received = await socket.data("3", "callEvents")
        # and the completed stream sent nothing (it stopped listening before the event)
        assert socket.pending("1") == []
    assert (received["seq"], received["text"]) == (1, "hello")
