"""A whole call, end to end, without a phone.

A Twilio request signed with the Twilio SDK reaches the webhook; the fake LiveKit
receives the room and the dispatch; the worker's entrypoint runs with a fake job
context and a scripted model that greets, uses the Google Calendar tool against the
fake Google, and ends the call; a GraphQL WebSocket client subscribed to
organizationCallUpdates and callEvents sees every event in order; the call record is
complete.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from datetime import date, timedelta
from urllib.parse import urlsplit
from xml.etree import ElementTree

import httpx
import pytest
import pytest_asyncio
from livekit.agents.testing import fake_job_context

from core.events import organization_channel
from core.integrations.livekit_rooms import LiveKitRooms
from core.services.calls import room_name
from orm.models import Call, CallEvent
from tests.support.backends import TEST_REDIS_URL, Buses, make_buses
from tests.support.graphql import GraphQLClient
from tests.support.ids import global_id
from tests.support.operations import (
    AGENT_TOOL_OAUTH_START,
    CALL_EVENT_FIELDS,
    CALL_EVENTS,
    ORGANIZATION_CALL_UPDATES,
)
from tests.support.scripted_llm import ScriptedLLM
from tests.support.servers import APP_BASE_URL, running_app
from tests.support.telephony import (
    SIP_HOST,
    STATUS_PATH,
    VOICE_PATH,
    Telephony,
    call_by_sid,
    status_params,
    telephony_settings,
    voice_params,
)
from tests.support.waiting import DEADLINE, eventually, subscribed
from tests.support.websocket import graphql_socket
from worker.entrypoint import run_job
from worker.session import PreparedCall, WorkerDeps
from worker.tools.registry import discover

CALLER = "+14155550142"
GREETING = "Hello, Bright Smile Dental, this is Ada. How can I help?"
CALENDAR_CONFIG = {
    "time_zone": "Europe/Berlin",
    "business_hours": {"start": "09:00", "end": "17:00", "days": [1, 2, 3, 4, 5]},
}
# A whole scripted conversation, tool calls against the fake Google included.
CONVERSATION_DEADLINE = 3 * DEADLINE

CALL_RECORD = (
    """
query CallRecord($id: ID!) {
  call(id: $id) {
    status endedReason direction fromNumber toNumber answeredAt endedAt durationSeconds
    agentSnapshot timeline { ...CallEventFields }
  }
}"""
    + CALL_EVENT_FIELDS
)


def next_monday() -> date:
    today = date.today()
    return today + timedelta(days=(7 - today.weekday()) or 7)


@pytest_asyncio.fixture
async def buses() -> AsyncIterator[Buses]:
    """The API's bus and the worker's: Redis when the suite runs on it, in-process otherwise."""
    pair = make_buses("redis" if TEST_REDIS_URL else "memory")
    try:
        yield pair
    finally:
        await pair.close()


async def test_a_call_from_webhook_to_record(server, make, buses: Buses, livekit, google):
    settings = telephony_settings(
        server.settings, livekit, public_base_url=APP_BASE_URL, **google.settings_overrides()
    )
    async with (
        running_app(settings, bus=buses.server) as api,
        httpx.AsyncClient(base_url=api.base_url, timeout=DEADLINE) as http,
    ):
        client = GraphQLClient(http)
        telephony = Telephony(settings, http, client, livekit)
        # given an organization whose agent books appointments in a connected calendar
        tenant = await make.tenant("Bright Smile Dental")
        agent = await make.agent(
            tenant,
            name="Ada",
            system_prompt="Book dental visits.",
            greeting=GREETING,
            phone_number=True,
        )
        calendar = await make.agent_tool(
            agent,
            "google_calendar",
            config=CALENDAR_CONFIG,
            disabled_functions=["calendar_cancel_event"],
        )
        started = await client.ok(
            AGENT_TOOL_OAUTH_START,
            {"input": {"agentToolId": global_id("AgentTool", calendar.id)}},
            token=tenant.token,
        )
        redirect = await google.consent(started["authorizationUrl"])
        parts = urlsplit(redirect)
        connected = await http.get(f"{parts.path}?{parts.query}")
        assert connected.status_code == 303
        assert "status=connected" in connected.headers["location"]

        # and a dashboard watching the organization live
        async with graphql_socket(api.ws_url, tenant.token) as dashboard:
            await dashboard.subscribe(
                "org", ORGANIZATION_CALL_UPDATES, {"organizationId": tenant.organization_id}
            )
            await subscribed(buses.server, organization_channel(tenant.organization_uuid))

            # when Twilio delivers the call, signed with its SDK
            params = voice_params(agent.phone_number.e164, from_=CALLER)
            answer = await telephony.voice(params, signed_url=APP_BASE_URL + VOICE_PATH)

            # then Twilio is told to dial the call's LiveKit room over SIP
            assert answer.status_code == 200, answer.text
            call = await call_by_sid(params["CallSid"])
            assert call is not None
            dial = ElementTree.fromstring(answer.text).find("./Dial")
            assert dial is not None and dial.get("answerOnBridge") == "true"
            sip = dial.find("./Sip")
            assert sip is not None and sip.text is not None
            assert sip.text.startswith(f"sip:{room_name(call.id)}@{SIP_HOST}")
            # and LiveKit got the room with the call's metadata and a dispatch to our worker
            [create_room] = livekit.requests_for("CreateRoom")
            assert create_room.message.name == room_name(call.id)
            assert json.loads(create_room.message.metadata)["call_id"] == str(call.id)
            assert [a.agent_name for a in create_room.message.agents] == [
                settings.livekit_agent_name
            ]

            call_id = global_id("Call", call.id)
            await dashboard.subscribe("call", CALL_EVENTS, {"callId": call_id})

            # when the worker takes the job and the conversation happens
            day = next_monday()
            model = ScriptedLLM(
                [
                    GREETING,
                    [("calendar_check_availability", {"day": day.isoformat()})],
                    "I have 10:00 free on Monday. Shall I book it?",
                    [
                        (
                            "calendar_create_event",
                            {"start": f"{day.isoformat()}T10:00", "caller_name": "Grace Hopper"},
                        )
                    ],
                    "You're booked for Monday at ten. Goodbye!",
                    [("end_call", {})],
                    "(after hang-up)",
                ]
            )
            conversation_done = asyncio.Event()

            async def converse(prepared: PreparedCall) -> None:
                session = prepared.session
                # the caller speaks once the agent's greeting is said
                await eventually(
                    lambda: (
                        GREETING
                        in [getattr(i, "text_content", None) for i in session.history.items]
                    ),
                    what="the greeting is said",
                )
                await session.run(user_input="I'd like a check-up on Monday.")
                await session.run(user_input="Ten is perfect. I'm Grace Hopper.")
                await session.run(user_input="Thanks, bye!")
                await prepared.recorder.flush()
                conversation_done.set()

            async with (
                httpx.AsyncClient() as worker_http,
                contextlib.aclosing(LiveKitRooms(settings)) as rooms,
            ):
                deps = WorkerDeps(
                    settings=settings,
                    bus=buses.writer,
                    rooms=rooms,
                    model_factory=lambda snapshot, s: model,
                    http=worker_http,
                    specs=discover(),
                    manage_database=False,
                    use_room=False,
                    on_ready=lambda prepared: asyncio.ensure_future(converse(prepared)),
                )
                with fake_job_context(job_metadata=create_room.message.metadata) as job:
                    await run_job(job, lambda: deps)
                    await asyncio.wait_for(conversation_done.wait(), CONVERSATION_DEADLINE)

            # then the call's stream delivered every event in order, and completed
            streamed = [e["callEvents"] for e in await dashboard.collect_until_complete("call")]
            types = [event["__typename"] for event in streamed]
            seqs = [event["seq"] for event in streamed]
            assert seqs == list(range(1, len(seqs) + 1))
            assert types[0] == "CallStatusChanged" and types[-1] == "CallEnded"
            tool_events = [e for e in streamed if e["__typename"] == "CallToolInvoked"]
            assert [(t["function"], t["outcome"]) for t in tool_events] == [
                ("calendar_check_availability", "OK"),
                ("calendar_create_event", "OK"),
            ]
            assert tool_events[0]["arguments"] == {"day": day.isoformat()}
            transcript = [
                (e["speaker"], e["text"])
                for e in streamed
                if e["__typename"] == "CallTranscriptSegment"
            ]
            assert transcript[0] == ("AGENT", GREETING)
            assert ("CALLER", "Ten is perfect. I'm Grace Hopper.") in transcript

            # and the dashboard saw the status changes of this call in order
            statuses = [await dashboard.data("org", "organizationCallUpdates") for _ in range(4)]
            assert {update["call"]["id"] for update in statuses} == {call_id}
            assert [(u["__typename"], u["status"]) for u in statuses] == [
                ("CallStatusChanged", "RINGING"),
                ("CallStatusChanged", "IN_PROGRESS"),
                ("CallStatusChanged", "COMPLETED"),
                ("CallEnded", "COMPLETED"),
            ]

        # and the calendar has the booking with the caller's name and number
        [event] = google.events()
        assert "Grace Hopper" in event["description"] and CALLER in event["description"]
        # and the worker hung up by deleting the room
        assert [r.message.room for r in livekit.requests_for("DeleteRoom")] == [room_name(call.id)]

        # and the record is complete
        record = (await client.data(CALL_RECORD, {"id": call_id}, token=tenant.token))["call"]
        assert record["status"] == "COMPLETED" and record["endedReason"] == "agent_ended"
        assert record["direction"] == "INBOUND" and record["fromNumber"] == CALLER
        assert record["answeredAt"] and record["endedAt"] and record["durationSeconds"] >= 0
        assert record["agentSnapshot"]["tools"] == {
            "google_calendar": [
                "calendar_check_availability",
                "calendar_create_event",
                "calendar_list_my_appointments",
                "calendar_reschedule_event",
            ]
        }
        assert [e["seq"] for e in record["timeline"]] == seqs
        # nothing secret in the record
        await calendar.refresh_from_db()
        rows = json.dumps(await CallEvent.filter(call_id=call.id).values_list("data", flat=True))
        assert calendar.sensitive_config not in rows
        for token in google.valid_access_tokens():
            assert token not in rows

        # when Twilio's own completion arrives afterwards
        late = await telephony.status(
            status_params(params["CallSid"], "completed", CallDuration="42"),
            signed_url=APP_BASE_URL + STATUS_PATH,
        )

        # then nothing changes but Twilio's own billing duration, which is kept and recorded
        assert late.status_code == 204
        after = await Call.get(id=call.id)
        assert after.status == "completed" and after.ended_reason == "agent_ended"
        assert after.duration_seconds == 42
        record = (await client.data(CALL_RECORD, {"id": call_id}, token=tenant.token))["call"]
        assert [e["seq"] for e in record["timeline"]] == [*seqs, len(seqs) + 1]
        assert record["timeline"][-1]["__typename"] == "CallUpdated"
        assert record["timeline"][-1]["durationSeconds"] == 42


async def test_a_crashing_job_leaves_the_call_failed_with_a_reason(server, make, buses: Buses):
    # given a ringing call
    tenant = await make.tenant("Crash Co")
    call = await make.call(tenant)

    def broken_model(snapshot, settings):  # type: ignore[no-untyped-def]
        raise RuntimeError("the model could not start")

    async with (
        httpx.AsyncClient() as worker_http,
        contextlib.aclosing(LiveKitRooms(server.settings)) as rooms,
    ):
        deps = WorkerDeps(
            settings=server.settings,
            bus=buses.writer,
            rooms=rooms,
            model_factory=broken_model,
            http=worker_http,
            specs={},
            manage_database=False,
            use_room=False,
        )

        # when the job runs and crashes
        with fake_job_context(job_metadata=json.dumps({"call_id": str(call.id)})) as job:
            with pytest.raises(RuntimeError):
                await run_job(job, lambda: deps)

    # then the call is failed, with the reason, never left in progress
    after = await Call.get(id=call.id)
    assert after.status == "failed"
    assert after.ended_reason == "worker_error:RuntimeError"
