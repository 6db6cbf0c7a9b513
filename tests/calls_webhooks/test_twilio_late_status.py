"""A Twilio status callback that arrives after the call ended and changes what a dashboard
shows (its duration) is recorded and published as a `CallUpdated`, once."""

from __future__ import annotations

from core.call_events import CallStatus, StatusSource
from core.events import organization_channel
from core.services import calls
from orm.models import Call, CallEvent
from tests.support.backends import Buses
from tests.support.ids import global_id
from tests.support.operations import CALL_TIMELINE, ORGANIZATION_CALL_UPDATES
from tests.support.servers import running_app
from tests.support.telephony import event_types, start_call, status_params, telephony_app
from tests.support.waiting import subscribed
from tests.support.websocket import graphql_socket


async def test_a_late_twilio_duration_reaches_the_dashboard_and_the_timeline(
    make, server, livekit, buses: Buses
):
    # given: a call LiveKit ended first (its duration measured by us), and a dashboard
    tenant = await make.tenant()
    agent = await make.agent(tenant, phone_number=True)
    sentinel = await make.call(tenant, agent)
    async with (
        telephony_app(server.settings, livekit, bus=buses.writer) as telephony,
        running_app(server.settings, bus=buses.server) as app,
        graphql_socket(app.ws_url, tenant.token) as socket,
    ):
        call = await start_call(telephony, agent.phone_number.e164)
        for status in (CallStatus.IN_PROGRESS, CallStatus.COMPLETED):
            await calls.apply_status(
                call_id=call.id, status=status, source=StatusSource.LIVEKIT, bus=buses.writer
            )
        measured = (await Call.get(id=call.id)).duration_seconds
        await socket.subscribe(
            "dashboard", ORGANIZATION_CALL_UPDATES, {"organizationId": tenant.organization_id}
        )
        await subscribed(buses.server, organization_channel(tenant.organization_uuid))
        late = status_params(call.twilio_call_sid, "completed", CallDuration="61")

        # when: Twilio's completed callback, with its own duration, comes late (and again)
        first = await telephony.status(late)
        update = await socket.data("dashboard", "organizationCallUpdates")
        repeated = await telephony.status(late)

        # then: one update, with the new duration and the call as it is now
        await calls.apply_status(
            call_id=sentinel.id,
            status=CallStatus.IN_PROGRESS,
            source=StatusSource.LIVEKIT,
            bus=buses.writer,
        )
        after = await socket.data("dashboard", "organizationCallUpdates")
        assert socket.pending("dashboard") == []
        timeline = (
            await telephony.gql.data(
                CALL_TIMELINE, {"id": global_id("Call", call.id), "afterSeq": 5}, token=tenant.token
            )
        )["call"]
    assert (first.status_code, repeated.status_code) == (204, 204)
    assert measured != 61
    assert {key: update[key] for key in update if key not in ("id", "occurredAt")} == {
        "__typename": "CallUpdated",
        "type": "UPDATED",
        "seq": 6,
        "changedFields": ["DURATION_SECONDS"],
        "source": "TWILIO",
        "durationSeconds": 61,
        "previousDurationSeconds": measured,
        "call": {"id": global_id("Call", call.id), "status": "COMPLETED", "durationSeconds": 61},
    }
    recorded = await CallEvent.get(call_id=call.id, seq=6)
    assert update["id"] == global_id("CallUpdated", recorded.id)
    assert (after["__typename"], after["call"]["id"]) == (
        "CallStatusChanged",
        global_id("Call", sentinel.id),
    )
    assert await event_types(call.id) == [
        "call.status_changed",
        "call.status_changed",
        "call.started",
        "call.status_changed",
        "call.ended",
        "call.updated",
    ]
    assert timeline["durationSeconds"] == 61
    assert [event["__typename"] for event in timeline["timeline"]] == ["CallUpdated"]
    assert timeline["timeline"][0]["id"] == update["id"]
