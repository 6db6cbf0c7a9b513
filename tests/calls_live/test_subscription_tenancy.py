"""Who may subscribe: members and API keys of the call's organization, nobody else."""

from __future__ import annotations

import asyncio

import pytest

from core.services import calls
from core.services.calls import CallStatus
from graphql_api.calls import subscriptions
from tests.calls_live.conftest import LiveServer
from tests.calls_live.helpers import (
    call_global_id,
    graphql_socket,
    init_close_code,
    new_call,
    new_tenant,
    transcript,
)
from tests.calls_live.test_call_events_subscription import CALL_EVENTS
from tests.calls_live.test_organization_call_updates import ORGANIZATION_CALL_UPDATES
from tests.organizations.helpers import add_member, create_api_key, fake_global_id

MEMBER_REMOVE = """
mutation MemberRemove($input: MemberRemoveInput!) {
  memberRemove(input: $input) {
    errors { field message code }
  }
}
"""


def error_codes(message: dict) -> list[str]:
    assert message["type"] in ("error", "next"), message
    errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
    return [error["extensions"]["code"] for error in errors]


async def test_a_user_of_another_organization_gets_not_found_and_no_data(gql, live: LiveServer):
    # given
    tenant = await new_tenant(gql)
    stranger = await new_tenant(gql, "Stranger Ltd")
    call = await new_call(tenant)
    await transcript(call, "private", live.buses.writer)

    async with graphql_socket(live.ws_url, stranger.owner.token) as socket:
        # when
        await socket.subscribe("1", CALL_EVENTS, {"callId": call_global_id(call)})
        await socket.subscribe(
            "2", ORGANIZATION_CALL_UPDATES, {"organizationId": tenant.organization_id}
        )
        refused_call = await socket.next("1")
        refused_updates = await socket.next("2")
        await transcript(call, "still private", live.buses.writer)
        await calls.apply_status(
            call_id=call.id, status=CallStatus.IN_PROGRESS, source="livekit", bus=live.buses.writer
        )

        # then
        await socket.nothing_for("1")
        await socket.nothing_for("2", 0.1)
    for refused in (refused_call, refused_updates):
        assert refused["type"] == "error", refused
        assert error_codes(refused) == ["NOT_FOUND"]
        assert "private" not in str(refused)


async def test_another_organizations_call_is_answered_like_a_missing_one(gql, live: LiveServer):
    # given
    tenant = await new_tenant(gql)
    stranger = await new_tenant(gql, "Stranger Ltd")
    call = await new_call(tenant)

    async with graphql_socket(live.ws_url, stranger.owner.token) as socket:
        # when
        await socket.subscribe("1", CALL_EVENTS, {"callId": call_global_id(call)})
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


async def test_a_member_api_key_of_the_organization_can_subscribe(gql, live: LiveServer):
    # given
    tenant = await new_tenant(gql)
    _, key = await create_api_key(gql, tenant.owner, tenant.organization_id, role="member")
    call = await new_call(tenant)
    await transcript(call, "before", live.buses.writer)

    async with graphql_socket(live.ws_url, key) as socket:
        await socket.subscribe("1", CALL_EVENTS, {"callId": call_global_id(call)})
        await socket.subscribe(
            "2", ORGANIZATION_CALL_UPDATES, {"organizationId": tenant.organization_id}
        )
        replayed = await socket.data("1", "callEvents")

        # when
        await calls.apply_status(
            call_id=call.id, status=CallStatus.IN_PROGRESS, source="livekit", bus=live.buses.writer
        )

        # then
        on_call = await socket.data("1", "callEvents")
        on_organization = await socket.data("2", "organizationCallUpdates")
    assert replayed["data"]["text"] == "before"
    assert on_call["seq"] == on_organization["seq"] == 2
    assert on_call["id"] == on_organization["id"]


async def test_an_api_key_of_another_organization_gets_not_found(gql, live: LiveServer):
    # given
    tenant = await new_tenant(gql)
    stranger = await new_tenant(gql, "Stranger Ltd")
    _, key = await create_api_key(gql, stranger.owner, stranger.organization_id, role="org_admin")
    call = await new_call(tenant)

    async with graphql_socket(live.ws_url, key) as socket:
        # when
        await socket.subscribe("1", CALL_EVENTS, {"callId": call_global_id(call)})
        await socket.subscribe(
            "2", ORGANIZATION_CALL_UPDATES, {"organizationId": tenant.organization_id}
        )

        # then
        assert error_codes(await socket.next("1")) == ["NOT_FOUND"]
        assert error_codes(await socket.next("2")) == ["NOT_FOUND"]
        await calls.apply_status(
            call_id=call.id, status=CallStatus.IN_PROGRESS, source="livekit", bus=live.buses.writer
        )
        await socket.nothing_for("1")
        await socket.nothing_for("2", 0.1)


async def test_a_removed_member_stops_receiving_updates(gql, live: LiveServer, monkeypatch):
    # given: a member watching the dashboard
    monkeypatch.setattr(subscriptions, "ACCESS_RECHECK_SECONDS", 0.2)
    tenant = await new_tenant(gql)
    member, membership_id = await add_member(gql, tenant.owner, tenant.organization_id)
    first, second = await new_call(tenant), await new_call(tenant)
    writer = live.buses.writer

    async with graphql_socket(live.ws_url, member.token) as socket:
        await socket.subscribe(
            "1", ORGANIZATION_CALL_UPDATES, {"organizationId": tenant.organization_id}
        )
        await socket.nothing_for("1", 0.3)
        await calls.apply_status(
            call_id=first.id, status=CallStatus.IN_PROGRESS, source="livekit", bus=writer
        )
        assert (await socket.data("1", "organizationCallUpdates"))["seq"] == 1

        # when: an admin removes the member, then the calls go on
        data = await gql.data(
            MEMBER_REMOVE, {"input": {"membershipId": membership_id}}, token=tenant.owner.token
        )
        assert data["memberRemove"]["errors"] == []
        await asyncio.sleep(0.3)
        await calls.apply_status(
            call_id=second.id, status=CallStatus.IN_PROGRESS, source="livekit", bus=writer
        )

        # then: an error ends the stream, the event is not in it, and the stream completes
        ended = await socket.next("1")
        finished = await socket.next("1")
        await calls.apply_status(
            call_id=first.id, status=CallStatus.COMPLETED, source="twilio", bus=writer
        )
        await socket.nothing_for("1")
    assert ended == {
        "id": "1",
        "type": "next",
        "payload": {
            "data": None,
            "errors": [{"message": "Organization not found.", "extensions": {"code": "NOT_FOUND"}}],
        },
    }
    assert finished == {"id": "1", "type": "complete"}


async def test_a_removed_member_cannot_subscribe_again_on_the_same_socket(gql, live: LiveServer):
    # given: a member's socket, used once while still a member
    tenant = await new_tenant(gql)
    member, membership_id = await add_member(gql, tenant.owner, tenant.organization_id)
    call = await new_call(tenant)
    await transcript(call, "secret", live.buses.writer)

    async with graphql_socket(live.ws_url, member.token) as socket:
        await socket.subscribe("1", CALL_EVENTS, {"callId": call_global_id(call)})
        assert (await socket.data("1", "callEvents"))["seq"] == 1
        await socket.complete("1")

        # when: removed, then subscribing again on the long-lived connection
        data = await gql.data(
            MEMBER_REMOVE, {"input": {"membershipId": membership_id}}, token=tenant.owner.token
        )
        assert data["memberRemove"]["errors"] == []
        await socket.subscribe("2", CALL_EVENTS, {"callId": call_global_id(call)})
        await socket.subscribe(
            "3", ORGANIZATION_CALL_UPDATES, {"organizationId": tenant.organization_id}
        )

        # then
        assert error_codes(await socket.next("2")) == ["NOT_FOUND"]
        assert error_codes(await socket.next("3")) == ["NOT_FOUND"]
