"""A whole call, end to end, without a phone.

A Twilio request signed with the Twilio SDK reaches the webhook; a local stub of
LiveKit's Twirp API receives the room and the dispatch; the worker's entrypoint
runs with a fake job context and a scripted model that greets, uses the Google
Calendar tool against the fake Google, and ends the call; a GraphQL WebSocket
client subscribed to organizationCallUpdates and callEvents sees every event in
order; the call record is complete.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import date, timedelta
from urllib.parse import urlsplit
from xml.etree import ElementTree

import httpx
import pytest
from livekit.agents.testing import fake_job_context
from pydantic import SecretStr
from twilio.request_validator import RequestValidator

from core.events import InProcessBus, RedisBus
from core.integrations.livekit_rooms import LiveKitRooms
from core.services.calls import room_name
from core.tools.registry import discover
from orm.models import AgentTool, Call, CallEvent
from tests.conftest import TEST_REDIS_URL, GraphQLClient, create_organization, sign_up
from tests.fakes.google import FakeGoogle
from tests.fakes.livekit import FakeLiveKit
from tests.support.gql_ws import GraphQLWebSocket
from tests.support.scripted_llm import ScriptedLLM
from tests.support.servers import running_app
from worker.entrypoint import run_job
from worker.session import PreparedCall, WorkerDeps

PUBLIC_BASE_URL = "https://api.voiceagents.test"
TWILIO_TOKEN = "twilio-auth-token-for-tests-0123456789"
CALLER = "+14155550142"
GREETING = "Hello, Bright Smile Dental, this is Ada. How can I help?"

AGENT_CREATE = """
mutation($input: AgentCreateInput!) {
  agentCreate(input: $input) { agent { id phoneNumber } errors { code } }
}"""
PLATFORM_TOOLS = "{ platformTools { id name } }"
TOOL_CONFIGURE = """
mutation($input: AgentToolConfigureInput!) {
  agentToolConfigure(input: $input) { agentTool { id } errors { field code message } }
}"""
OAUTH_START = """
mutation($input: AgentToolOAuthStartInput!) {
  agentToolOAuthStart(input: $input) { authorizationUrl errors { code } }
}"""
ORGANIZATION_UPDATES = """
subscription($org: ID!) {
  organizationCallUpdates(organizationId: $org) { type seq callId data call { status } }
}"""
CALL_EVENTS = """
subscription($call: ID!) { callEvents(callId: $call) { type seq data } }
"""
CALL_RECORD = """
query($id: ID!) {
  call(id: $id) {
    status endedReason direction fromNumber toNumber answeredAt endedAt durationSeconds
    agentSnapshot timeline { seq type data }
  }
}"""


def next_monday() -> date:
    today = date.today()
    return today + timedelta(days=(7 - today.weekday()) or 7)


@pytest.fixture
def bus():
    return RedisBus(TEST_REDIS_URL) if TEST_REDIS_URL else InProcessBus()


async def test_a_call_from_webhook_to_record(server, gql: GraphQLClient, bus):
    async with FakeGoogle() as google, FakeLiveKit() as livekit:
        settings = server.settings.model_copy(
            update={
                "public_base_url": PUBLIC_BASE_URL,
                "twilio_auth_token": SecretStr(TWILIO_TOKEN),
                **google.settings_overrides(),
                **livekit.settings_overrides(),
            }
        )
        async with running_app(settings, bus=bus) as api:
            client = GraphQLClient(httpx.AsyncClient(base_url=api.base_url, timeout=20))
            # given an organization whose agent books appointments in a connected calendar
            owner = await sign_up(gql)
            org = await create_organization(gql, owner, "Bright Smile Dental")
            number = f"+1415555{uuid.uuid4().int % 9000 + 1000}"
            created = await client.data(
                AGENT_CREATE,
                {
                    "input": {
                        "organizationId": org,
                        "name": "Ada",
                        "systemPrompt": "Book dental visits.",
                        "greeting": GREETING,
                        "phoneNumber": number,
                    }
                },
                token=owner.token,
            )
            agent_id = created["agentCreate"]["agent"]["id"]
            tools = (await client.data(PLATFORM_TOOLS, token=owner.token))["platformTools"]
            calendar_tool = next(t["id"] for t in tools if t["name"] == "google_calendar")
            configured = await client.data(
                TOOL_CONFIGURE,
                {
                    "input": {
                        "agentId": agent_id,
                        "toolId": calendar_tool,
                        "config": {
                            "time_zone": "Europe/Berlin",
                            "business_hours": {
                                "start": "09:00",
                                "end": "17:00",
                                "days": [1, 2, 3, 4, 5],
                            },
                        },
                        "disabledFunctions": ["calendar_cancel_event"],
                    }
                },
                token=owner.token,
            )
            assert configured["agentToolConfigure"]["errors"] == []
            started = await client.data(
                OAUTH_START,
                {"input": {"agentToolId": configured["agentToolConfigure"]["agentTool"]["id"]}},
                token=owner.token,
            )
            redirect = await google.consent(started["agentToolOAuthStart"]["authorizationUrl"])
            parts = urlsplit(redirect)
            connected = await client.http.get(f"{parts.path}?{parts.query}")
            assert (
                connected.status_code == 303 and "status=connected" in connected.headers["location"]
            )

            # and a dashboard watching the organization live
            dashboard = await GraphQLWebSocket.open(api.ws_url, owner.token)
            await dashboard.subscribe("org", ORGANIZATION_UPDATES, {"org": org})
            await asyncio.sleep(0.3)  # the subscription is registered on the bus

            # when Twilio delivers the call, signed with its SDK
            params = {
                "CallSid": f"CA{uuid.uuid4().hex}",
                "From": CALLER,
                "To": number,
                "CallStatus": "ringing",
                "Direction": "inbound",
            }
            url = f"{PUBLIC_BASE_URL}/webhooks/twilio/voice"
            signature = RequestValidator(TWILIO_TOKEN).compute_signature(url, params)
            answer = await client.http.post(
                "/webhooks/twilio/voice", data=params, headers={"X-Twilio-Signature": signature}
            )

            # then Twilio is told to dial the call's LiveKit room over SIP
            assert answer.status_code == 200, answer.text
            call = await Call.get(twilio_call_sid=params["CallSid"])
            sip = ElementTree.fromstring(answer.text).find("./Dial/Sip")
            assert sip is not None
            assert (
                ElementTree.fromstring(answer.text).find("./Dial").get("answerOnBridge") == "true"
            )
            assert sip.text.startswith(f"sip:{room_name(call.id)}@fake-project.sip.livekit.test")
            # and LiveKit got the room with the call's metadata and a dispatch to our worker
            [create_room] = livekit.requests_for("CreateRoom")
            assert create_room.message.name == room_name(call.id)
            assert json.loads(create_room.message.metadata)["call_id"] == str(call.id)
            assert [a.agent_name for a in create_room.message.agents] == [
                settings.livekit_agent_name
            ]

            call_gid = _global_id("Call", call.id)
            await dashboard.subscribe("call", CALL_EVENTS, {"call": call_gid})

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
                await session.run(user_input="I'd like a check-up on Monday.")
                await session.run(user_input="Ten is perfect. I'm Grace Hopper.")
                await session.run(user_input="Thanks, bye!")
                await prepared.recorder.flush()
                conversation_done.set()

            deps = WorkerDeps(
                settings=settings,
                bus=bus,
                rooms=LiveKitRooms(settings),
                model_factory=lambda snapshot, s: model,
                http=httpx.AsyncClient(),
                specs=discover(),
                manage_database=False,
                use_room=False,
                on_ready=lambda prepared: asyncio.ensure_future(converse(prepared)),
            )
            with fake_job_context(job_metadata=create_room.message.metadata) as job:
                await run_job(job, lambda: deps)
                await asyncio.wait_for(conversation_done.wait(), 30)

            # then the call's stream delivered every event in order, and completed
            streamed = await dashboard.collect_until_complete("call")
            types = [event["callEvents"]["type"] for event in streamed]
            seqs = [event["callEvents"]["seq"] for event in streamed]
            assert seqs == list(range(1, len(seqs) + 1))
            assert types[0] == "call.status_changed" and types[-1] == "call.ended"
            tool_events = [
                e["callEvents"]["data"]
                for e in streamed
                if e["callEvents"]["type"] == "call.tool_invoked"
            ]
            assert [(t["function"], t["outcome"]) for t in tool_events] == [
                ("calendar_check_availability", "ok"),
                ("calendar_create_event", "ok"),
            ]
            transcript = [
                e["callEvents"]["data"]
                for e in streamed
                if e["callEvents"]["type"] == "call.transcript"
            ]
            assert transcript[0] == {"speaker": "agent", "text": GREETING}
            assert {"speaker": "caller", "text": "Ten is perfect. I'm Grace Hopper."} in transcript

            # and the dashboard saw the status changes of this call in order
            statuses = []
            while len(statuses) < 4:
                message = await dashboard.next("org")
                update = message["payload"]["data"]["organizationCallUpdates"]
                assert update["callId"] == call_gid
                statuses.append((update["type"], update["data"].get("to")))
            assert statuses == [
                ("call.status_changed", "ringing"),
                ("call.status_changed", "in_progress"),
                ("call.status_changed", "completed"),
                ("call.ended", None),
            ]
            await dashboard.close()

            # and the calendar has the booking with the caller's name and number
            [event] = google.events()
            assert "Grace Hopper" in event["description"] and CALLER in event["description"]
            # and the worker hung up by deleting the room
            assert [r.message.room for r in livekit.requests_for("DeleteRoom")] == [
                room_name(call.id)
            ]

            # and the record is complete
            record = (await client.data(CALL_RECORD, {"id": call_gid}, token=owner.token))["call"]
            assert record["status"] == "COMPLETED" and record["endedReason"] == "agent_ended"
            assert record["direction"] == "INBOUND" and record["fromNumber"] == CALLER
            assert record["answeredAt"] and record["endedAt"] and record["durationSeconds"] >= 0
            assert record["agentSnapshot"]["tools"] == {
                "google_calendar": [
                    "calendar_check_availability",
                    "calendar_create_event",
                    "calendar_list_events",
                    "calendar_reschedule_event",
                ]
            }
            assert [e["seq"] for e in record["timeline"]] == seqs
            # nothing secret in the record
            row = await AgentTool.get(agent_id=uuid.UUID(_raw_id(agent_id)))
            rows = await CallEvent.filter(call_id=call.id).values_list("data", flat=True)
            assert row.sensitive_config not in json.dumps(rows)
            for token in google.valid_access_tokens():
                assert token not in json.dumps(rows)

            # when Twilio's own completion arrives afterwards, nothing changes
            status = {"CallSid": params["CallSid"], "CallStatus": "completed", "CallDuration": "42"}
            status_url = f"{PUBLIC_BASE_URL}/webhooks/twilio/status"
            signed = RequestValidator(TWILIO_TOKEN).compute_signature(status_url, status)
            late = await client.http.post(
                "/webhooks/twilio/status", data=status, headers={"X-Twilio-Signature": signed}
            )
            assert late.status_code == 204
            after = await Call.get(id=call.id)
            assert after.status == "completed" and after.ended_reason == "agent_ended"
            assert after.duration_seconds == 42  # Twilio's own billing duration is kept
            assert await CallEvent.filter(call_id=call.id).count() == len(seqs)
            await client.http.aclose()
            await deps.http.aclose()
            await deps.rooms.aclose()


async def test_a_crashing_job_leaves_the_call_failed_with_a_reason(server, bus):
    # given a ringing call
    from orm.models import Organization, VoiceAgent

    organization = await Organization.create(name="Crash Co", slug=f"crash-{uuid.uuid4().hex[:8]}")
    agent = await VoiceAgent.create(
        organization=organization, name="A", system_prompt="x", voice="Puck", language="en-US"
    )
    call = await Call.create(
        id=uuid.uuid4(),
        organization=organization,
        agent=agent,
        direction="inbound",
        from_number=CALLER,
        to_number="+14155550000",
        status="ringing",
        snapshot={"system_prompt": "x", "tools": {}},
    )

    def broken_model(snapshot, settings):
        raise RuntimeError("the model could not start")

    deps = WorkerDeps(
        settings=server.settings,
        bus=bus,
        rooms=LiveKitRooms(server.settings),
        model_factory=broken_model,
        http=httpx.AsyncClient(),
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
    await deps.http.aclose()
    await deps.rooms.aclose()


def _global_id(type_name: str, value: uuid.UUID) -> str:
    from graphql_api import ids

    return ids.encode(type_name, value)


def _raw_id(global_id: str) -> str:
    import base64

    return base64.b64decode(global_id).decode().split(":", 1)[1]
