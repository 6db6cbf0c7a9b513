"""`callEvents(callId, afterSeq)`: the record first, then live, and complete after the end."""

from __future__ import annotations

from datetime import datetime

from core.call_events import CallStatus, StatusChanged, StatusSource
from core.events import call_channel
from core.services import calls
from orm.models import CallEvent
from tests.calls_live.conftest import LiveServer
from tests.calls_live.helpers import transcript
from tests.support.ids import global_id
from tests.support.operations import CALL_EVENTS
from tests.support.waiting import unsubscribed
from tests.support.websocket import graphql_socket


async def test_the_record_is_replayed_then_live_events_follow_and_it_completes(
    make, live: LiveServer
):
    # given: a call with two events written before anyone subscribed
    tenant = await make.tenant()
    call = await make.call(tenant)
    writer = live.buses.writer
    await calls.record_event(
        call_id=call.id,
        payload=StatusChanged(
            status=CallStatus.RINGING, previous_status=None, source=StatusSource.TWILIO
        ),
        bus=writer,
    )
    await transcript(call, "hello?", writer)

    async with graphql_socket(live.ws_url, tenant.token) as socket:
        await socket.subscribe("1", CALL_EVENTS, {"callId": global_id("Call", call.id)})
        # the stream listens on the bus before it reads the record: what follows is live
        replayed = [await socket.data("1", "callEvents") for _ in range(2)]

        # when: the call goes on and ends
        await transcript(call, "I'd like a table", writer)
        await calls.apply_status(
            call_id=call.id, status=CallStatus.IN_PROGRESS, source="livekit", bus=writer
        )
        await transcript(call, "for two", writer)
        await calls.apply_status(
            call_id=call.id, status=CallStatus.COMPLETED, source="twilio", bus=writer
        )
        live_events = [await socket.data("1", "callEvents") for _ in range(6)]

        # then
        finished = await socket.next("1")
    assert [(e["seq"], e["__typename"]) for e in replayed] == [
        (1, "CallStatusChanged"),
        (2, "CallTranscriptSegment"),
    ]
    assert [(e["seq"], e["__typename"], e["type"]) for e in live_events] == [
        (3, "CallTranscriptSegment", "TRANSCRIPT_SEGMENT"),
        (4, "CallStatusChanged", "STATUS_CHANGED"),
        (5, "CallStarted", "STARTED"),
        (6, "CallTranscriptSegment", "TRANSCRIPT_SEGMENT"),
        (7, "CallStatusChanged", "STATUS_CHANGED"),
        (8, "CallEnded", "ENDED"),
    ]
    assert (live_events[0]["speaker"], live_events[0]["text"]) == ("CALLER", "I'd like a table")
    assert (live_events[1]["previousStatus"], live_events[1]["status"]) == (
        "RINGING",
        "IN_PROGRESS",
    )
    assert live_events[1]["source"] == "LIVEKIT"
    assert live_events[1]["call"]["status"] in ("IN_PROGRESS", "COMPLETED")
    assert (live_events[2]["direction"], live_events[2]["source"]) == ("INBOUND", "LIVEKIT")
    assert live_events[5]["status"] == "COMPLETED"
    assert live_events[5]["call"]["status"] == "COMPLETED"
    assert finished == {"id": "1", "type": "complete"}


async def test_after_seq_skips_the_first_events(make, live: LiveServer):
    # given
    tenant = await make.tenant()
    call = await make.call(tenant)
    for text in ("one", "two", "three", "four"):
        await transcript(call, text, live.buses.writer)

    async with graphql_socket(live.ws_url, tenant.token) as socket:
        # when
        await socket.subscribe(
            "1", CALL_EVENTS, {"callId": global_id("Call", call.id), "afterSeq": 2}
        )
        received = [await socket.data("1", "callEvents") for _ in range(2)]
        await transcript(call, "five", live.buses.writer)
        received.append(await socket.data("1", "callEvents"))

        # then: nothing else came in between (the next event published is the next one)
        await transcript(call, "six", live.buses.writer)
        sentinel = await socket.data("1", "callEvents")
        assert socket.pending("1") == []
    assert [(e["seq"], e["text"]) for e in received] == [
        (3, "three"),
        (4, "four"),
        (5, "five"),
    ]
    assert (sentinel["seq"], sentinel["text"]) == (6, "six")


async def test_a_replayed_event_and_a_live_one_have_the_same_shape(make, live: LiveServer):
    # given
    tenant = await make.tenant()
    call = await make.call(tenant)
    call_id = global_id("Call", call.id)
    await transcript(call, "recorded", live.buses.writer)

    async with graphql_socket(live.ws_url, tenant.token) as socket:
        await socket.subscribe("1", CALL_EVENTS, {"callId": call_id})
        replayed = await socket.data("1", "callEvents")

        # when
        published = await transcript(call, "live", live.buses.writer)
        delivered = await socket.data("1", "callEvents")

    # then: the replayed row and the published envelope have the same shape and ids
    row = await CallEvent.get(call_id=call.id, seq=1)
    assert replayed["id"] == global_id("CallTranscriptSegment", row.id)
    assert delivered["id"] == global_id("CallTranscriptSegment", published.id)
    assert (await CallEvent.get(call_id=call.id, seq=2)).id == published.id
    for event, seq, text in ((replayed, 1, "recorded"), (delivered, 2, "live")):
        assert event["__typename"] == "CallTranscriptSegment"
        assert event["type"] == "TRANSCRIPT_SEGMENT"
        assert event["seq"] == seq
        assert (event["speaker"], event["text"]) == ("CALLER", text)
        assert event["call"] == {"id": call_id, "status": "RINGING"}
        assert datetime.fromisoformat(event["occurredAt"]).tzinfo is not None
    assert datetime.fromisoformat(delivered["occurredAt"]) == published.occurred_at


async def test_an_ended_call_is_replayed_and_completes_at_once(make, live: LiveServer):
    # given
    tenant = await make.tenant()
    call = await make.call(tenant)
    await calls.apply_status(
        call_id=call.id, status=CallStatus.BUSY, source="twilio", bus=live.buses.writer
    )

    async with graphql_socket(live.ws_url, tenant.token) as socket:
        # when
        await socket.subscribe("1", CALL_EVENTS, {"callId": global_id("Call", call.id)})
        replayed = [await socket.data("1", "callEvents") for _ in range(2)]

        # then
        assert await socket.next("1") == {"id": "1", "type": "complete"}
    assert [e["__typename"] for e in replayed] == ["CallStatusChanged", "CallEnded"]
    assert replayed[1]["status"] == "BUSY"


async def test_a_closed_socket_leaves_no_subscription_on_the_bus(make, live: LiveServer):
    # given
    tenant = await make.tenant()
    call = await make.call(tenant)
    channel = call_channel(call.id)
    bus = live.buses.server
    async with graphql_socket(live.ws_url, tenant.token) as socket:
        await socket.subscribe("1", CALL_EVENTS, {"callId": global_id("Call", call.id)})
        await transcript(call, "hello", live.buses.writer)
        await socket.data("1", "callEvents")
        assert bus.subscriber_count(channel) == 1

        # when: the client goes away without completing (the block closes the socket)

    # then: the stream lets go of the bus (on Redis, the channel is unsubscribed there too)
    await unsubscribed(bus, channel)
