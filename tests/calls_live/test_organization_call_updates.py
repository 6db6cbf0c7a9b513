"""`organizationCallUpdates(organizationId)`: the organization's status changes, nothing else."""

from __future__ import annotations

from core.services import calls
from core.services.calls import CallStatus
from tests.calls_live.conftest import LiveServer
from tests.calls_live.helpers import (
    call_global_id,
    graphql_socket,
    new_call,
    new_tenant,
    transcript,
)

ORGANIZATION_CALL_UPDATES = """
subscription OrganizationCallUpdates($organizationId: ID!) {
  organizationCallUpdates(organizationId: $organizationId) {
    id type seq data callId call { status }
  }
}
"""


async def test_status_changes_of_the_organizations_calls_arrive_in_order(gql, live: LiveServer):
    # given
    tenant = await new_tenant(gql)
    other = await new_tenant(gql, "Other Co")
    first, second = await new_call(tenant), await new_call(tenant)
    elsewhere = await new_call(other)
    writer = live.buses.writer

    async with graphql_socket(live.ws_url, tenant.owner.token) as socket:
        await socket.subscribe(
            "1", ORGANIZATION_CALL_UPDATES, {"organizationId": tenant.organization_id}
        )
        await socket.nothing_for("1", 0.2)  # the subscription is registered on the bus

        # when: status changes, transcripts, and another organization's call
        await calls.apply_status(
            call_id=first.id, status=CallStatus.IN_PROGRESS, source="livekit", bus=writer
        )
        await transcript(first, "hello", writer)
        await calls.apply_status(
            call_id=elsewhere.id, status=CallStatus.IN_PROGRESS, source="livekit", bus=writer
        )
        await calls.apply_status(
            call_id=second.id, status=CallStatus.NO_ANSWER, source="twilio", bus=writer
        )
        await transcript(elsewhere, "not yours", writer)
        await calls.apply_status(
            call_id=first.id, status=CallStatus.COMPLETED, source="twilio", bus=writer
        )
        received = [await socket.data("1", "organizationCallUpdates") for _ in range(5)]

        # then
        await socket.nothing_for("1")
    assert [(e["callId"], e["type"], e["seq"]) for e in received] == [
        (call_global_id(first), "call.status_changed", 1),
        (call_global_id(second), "call.status_changed", 1),
        (call_global_id(second), "call.ended", 2),
        (call_global_id(first), "call.status_changed", 3),
        (call_global_id(first), "call.ended", 4),
    ]
    assert received[0]["data"]["to"] == "in_progress"
    assert received[2]["data"]["status"] == "no_answer"
    assert received[2]["call"]["status"] == "NO_ANSWER"
    assert received[4]["call"]["status"] == "COMPLETED"


async def test_a_repeated_status_signal_is_not_sent_again(gql, live: LiveServer):
    # given
    tenant = await new_tenant(gql)
    call = await new_call(tenant)
    writer = live.buses.writer

    async with graphql_socket(live.ws_url, tenant.owner.token) as socket:
        await socket.subscribe(
            "1", ORGANIZATION_CALL_UPDATES, {"organizationId": tenant.organization_id}
        )
        await socket.nothing_for("1", 0.2)

        # when
        for _ in range(3):
            await calls.apply_status(
                call_id=call.id, status=CallStatus.IN_PROGRESS, source="livekit", bus=writer
            )
        received = await socket.data("1", "organizationCallUpdates")

        # then
        await socket.nothing_for("1")
    assert (received["type"], received["data"]["to"]) == ("call.status_changed", "in_progress")
