"""Who may subscribe: members and API keys of the call's organization, nobody else."""

from __future__ import annotations

import pytest

from core.events import call_channel, organization_channel
from core.services import calls
from core.services.calls import CallStatus
from orm.models import Call
from tests.calls_live.conftest import LiveServer
from tests.calls_live.helpers import transcript
from tests.support.backends import Buses
from tests.support.factories import Tenant
from tests.support.ids import fake_global_id, global_id
from tests.support.operations import CALL_EVENTS, MEMBER_REMOVE, ORGANIZATION_CALL_UPDATES
from tests.support.servers import running_app
from tests.support.waiting import subscribed
from tests.support.websocket import graphql_socket, init_close_code

# A stream re-checks its subscriber's access at every event it handles.
RECHECK_AT_EVERY_EVENT = 1e-6


def error_codes(message: dict) -> list[str]:
    assert message["type"] in ("error", "next"), message
    errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
    return [error["extensions"]["code"] for error in errors]


def nobody_listens(live: LiveServer, tenant: Tenant, call: Call) -> bool:
    """No stream of the call or of its organization runs on the server."""
    bus = live.buses.server
    return (
        bus.subscriber_count(call_channel(call.id)) == 0
        and bus.subscriber_count(organization_channel(tenant.organization_uuid)) == 0
    )


async def test_a_user_of_another_organization_gets_not_found_and_no_data(make, live: LiveServer):
    # given
    tenant = await make.tenant()
    stranger = await make.tenant("Stranger Ltd")
    call = await make.call(tenant)
    await transcript(call, "private", live.buses.writer)

    async with graphql_socket(live.ws_url, stranger.token) as socket:
        # when
        await socket.subscribe("1", CALL_EVENTS, {"callId": global_id("Call", call.id)})
        await socket.subscribe(
            "2", ORGANIZATION_CALL_UPDATES, {"organizationId": tenant.organization_id}
        )
        refused_call = await socket.next("1")
        refused_updates = await socket.next("2")
        await transcript(call, "still private", live.buses.writer)
        await calls.apply_status(
            call_id=call.id, status=CallStatus.IN_PROGRESS, source="livekit", bus=live.buses.writer
        )

        # then: no stream was started for them, so nothing follows the refusals
        assert nobody_listens(live, tenant, call)
        assert socket.pending("1") == socket.pending("2") == []
    for refused in (refused_call, refused_updates):
        assert refused["type"] == "error", refused
        assert error_codes(refused) == ["NOT_FOUND"]
        assert "private" not in str(refused)


async def test_another_organizations_call_is_answered_like_a_missing_one(make, live: LiveServer):
    # given
    tenant = await make.tenant()
    stranger = await make.tenant("Stranger Ltd")
    call = await make.call(tenant)

    async with graphql_socket(live.ws_url, stranger.token) as socket:
        # when
        await socket.subscribe("1", CALL_EVENTS, {"callId": global_id("Call", call.id)})
        await socket.subscribe("2", CALL_EVENTS, {"callId": fake_global_id("Call")})
        foreign, missing = await socket.next("1"), await socket.next("2")

    # then
    assert foreign["type"] == missing["type"] == "error"
    assert foreign["payload"] == missing["payload"]
    assert error_codes(foreign) == ["NOT_FOUND"]


@pytest.mark.parametrize(
    "payload",
    [None, {}, {"authorization": "Bearer nope"}],
    ids=["no payload", "empty", "bad token"],
)
async def test_an_anonymous_connection_is_closed_with_4403(live: LiveServer, payload):
    # when
    close_code = await init_close_code(live.ws_url, payload)

    # then
    assert close_code == 4403


async def test_a_member_api_key_of_the_organization_can_subscribe(make, live: LiveServer):
    # given
    tenant = await make.tenant()
    key = (await make.api_key(tenant, "member")).key
    call = await make.call(tenant)
    await transcript(call, "before", live.buses.writer)

    async with graphql_socket(live.ws_url, key) as socket:
        await socket.subscribe("1", CALL_EVENTS, {"callId": global_id("Call", call.id)})
        await socket.subscribe(
            "2", ORGANIZATION_CALL_UPDATES, {"organizationId": tenant.organization_id}
        )
        replayed = await socket.data("1", "callEvents")
        await subscribed(live.buses.server, organization_channel(tenant.organization_uuid))

        # when
        await calls.apply_status(
            call_id=call.id, status=CallStatus.IN_PROGRESS, source="livekit", bus=live.buses.writer
        )

        # then
        on_call = await socket.data("1", "callEvents")
        on_organization = await socket.data("2", "organizationCallUpdates")
    assert replayed["text"] == "before"
    assert on_call["seq"] == on_organization["seq"] == 2
    assert on_call["id"] == on_organization["id"]


async def test_an_api_key_of_another_organization_gets_not_found(make, live: LiveServer):
    # given
    tenant = await make.tenant()
    stranger = await make.tenant("Stranger Ltd")
    key = (await make.api_key(stranger, "org_admin")).key
    call = await make.call(tenant)

    async with graphql_socket(live.ws_url, key) as socket:
        # when
        await socket.subscribe("1", CALL_EVENTS, {"callId": global_id("Call", call.id)})
        await socket.subscribe(
            "2", ORGANIZATION_CALL_UPDATES, {"organizationId": tenant.organization_id}
        )

        # then
        assert error_codes(await socket.next("1")) == ["NOT_FOUND"]
        assert error_codes(await socket.next("2")) == ["NOT_FOUND"]
        await calls.apply_status(
            call_id=call.id, status=CallStatus.IN_PROGRESS, source="livekit", bus=live.buses.writer
        )
        # and no stream was started for it, so nothing follows the refusals
        assert nobody_listens(live, tenant, call)
        assert socket.pending("1") == socket.pending("2") == []


async def test_a_removed_member_stops_receiving_updates(make, gql, server, buses: Buses):
    # given: a member watching the dashboard, on a server whose streams re-check access at
    # every event
    settings = server.settings.model_copy(
        update={"subscription_access_recheck_seconds": RECHECK_AT_EVERY_EVENT}
    )
    tenant = await make.tenant()
    member = await make.member(tenant, "member")
    first, second = await make.call(tenant), await make.call(tenant)
    channel = organization_channel(tenant.organization_uuid)
    writer = buses.writer

    async with (
        running_app(settings, bus=buses.server) as app,
        graphql_socket(app.ws_url, member.token) as socket,
    ):
        await socket.subscribe(
            "1", ORGANIZATION_CALL_UPDATES, {"organizationId": tenant.organization_id}
        )
        await subscribed(buses.server, channel)
        await calls.apply_status(
            call_id=first.id, status=CallStatus.IN_PROGRESS, source="livekit", bus=writer
        )
        assert (await socket.data("1", "organizationCallUpdates"))["seq"] == 1

        # when: an admin removes the member, then the calls go on
        await gql.ok(
            MEMBER_REMOVE, {"input": {"membershipId": member.membership_id}}, token=tenant.token
        )
        await calls.apply_status(
            call_id=second.id, status=CallStatus.IN_PROGRESS, source="livekit", bus=writer
        )

        # then: an error ends the stream, the event is not in it, and the stream completes
        ended = await socket.next("1")
        finished = await socket.next("1")
        # and the stream let go of the bus: nothing more can reach the member
        assert buses.server.subscriber_count(channel) == 0
        await calls.apply_status(
            call_id=first.id, status=CallStatus.COMPLETED, source="twilio", bus=writer
        )
        assert socket.pending("1") == []
    assert ended == {
        "id": "1",
        "type": "next",
        "payload": {
            "data": None,
            "errors": [{"message": "Organization not found.", "extensions": {"code": "NOT_FOUND"}}],
        },
    }
    assert finished == {"id": "1", "type": "complete"}


async def test_a_removed_member_cannot_subscribe_again_on_the_same_socket(
    make, gql, live: LiveServer
):
    # given: a member's socket, used once while still a member
    tenant = await make.tenant()
    member = await make.member(tenant, "member")
    call = await make.call(tenant)
    await transcript(call, "secret", live.buses.writer)

    async with graphql_socket(live.ws_url, member.token) as socket:
        await socket.subscribe("1", CALL_EVENTS, {"callId": global_id("Call", call.id)})
        assert (await socket.data("1", "callEvents"))["seq"] == 1
        await socket.complete("1")

        # when: removed, then subscribing again on the long-lived connection
        await gql.ok(
            MEMBER_REMOVE, {"input": {"membershipId": member.membership_id}}, token=tenant.token
        )
        await socket.subscribe("2", CALL_EVENTS, {"callId": global_id("Call", call.id)})
        await socket.subscribe(
            "3", ORGANIZATION_CALL_UPDATES, {"organizationId": tenant.organization_id}
        )

        # then
        assert error_codes(await socket.next("2")) == ["NOT_FOUND"]
        assert error_codes(await socket.next("3")) == ["NOT_FOUND"]
