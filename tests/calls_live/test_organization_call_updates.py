"""`organizationCallUpdates(organizationId)`: the organization's status changes, nothing else."""

from __future__ import annotations

from core.events import organization_channel
from core.services import calls
from core.services.calls import CallStatus
from tests.calls_live.conftest import LiveServer
from tests.calls_live.helpers import transcript
from tests.support.ids import global_id
from tests.support.operations import ORGANIZATION_CALL_UPDATES
from tests.support.waiting import subscribed
from tests.support.websocket import graphql_socket


async def test_status_changes_of_the_organizations_calls_arrive_in_order(make, live: LiveServer):
    # given
    tenant = await make.tenant()
    other = await make.tenant("Other Co")
    first, second, sentinel = [await make.call(tenant) for _ in range(3)]
    elsewhere = await make.call(other)
    writer = live.buses.writer

    async with graphql_socket(live.ws_url, tenant.token) as socket:
        await socket.subscribe(
            "1", ORGANIZATION_CALL_UPDATES, {"organizationId": tenant.organization_id}
        )
        await subscribed(live.buses.server, organization_channel(tenant.organization_uuid))

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

        # then: nothing else came in between (the next status change is the next one delivered)
        await calls.apply_status(
            call_id=sentinel.id, status=CallStatus.IN_PROGRESS, source="livekit", bus=writer
        )
        after = await socket.data("1", "organizationCallUpdates")
        assert socket.pending("1") == []
    assert [(e["call"]["id"], e["type"], e["seq"]) for e in received] == [
        (global_id("Call", first.id), "STATUS_CHANGED", 1),
        (global_id("Call", second.id), "STATUS_CHANGED", 1),
        (global_id("Call", second.id), "ENDED", 2),
        (global_id("Call", first.id), "STATUS_CHANGED", 4),
        (global_id("Call", first.id), "ENDED", 5),
    ]
    assert received[0]["status"] == "IN_PROGRESS"
    assert received[2]["status"] == "NO_ANSWER"
    assert received[2]["call"]["status"] == "NO_ANSWER"
    assert received[4]["call"]["status"] == "COMPLETED"
    assert (after["call"]["id"], after["type"], after["seq"]) == (
        global_id("Call", sentinel.id),
        "STATUS_CHANGED",
        1,
    )


async def test_a_repeated_status_signal_is_not_sent_again(make, live: LiveServer):
    # given
    tenant = await make.tenant()
    call, sentinel = await make.call(tenant), await make.call(tenant)
    writer = live.buses.writer

    async with graphql_socket(live.ws_url, tenant.token) as socket:
        await socket.subscribe(
            "1", ORGANIZATION_CALL_UPDATES, {"organizationId": tenant.organization_id}
        )
        await subscribed(live.buses.server, organization_channel(tenant.organization_uuid))

        # when
        for _ in range(3):
            await calls.apply_status(
                call_id=call.id, status=CallStatus.IN_PROGRESS, source="livekit", bus=writer
            )
        received = await socket.data("1", "organizationCallUpdates")

        # then: the next status change is the next one delivered
        await calls.apply_status(
            call_id=sentinel.id, status=CallStatus.IN_PROGRESS, source="livekit", bus=writer
        )
        after = await socket.data("1", "organizationCallUpdates")
        assert socket.pending("1") == []
    assert (received["type"], received["status"]) == ("STATUS_CHANGED", "IN_PROGRESS")
    assert received["call"]["id"] == global_id("Call", call.id)
    assert (after["call"]["id"], after["seq"]) == (global_id("Call", sentinel.id), 1)
