"""Graceful shutdown of the API: SIGTERM lets in-flight requests finish and closes
WebSockets with a proper close frame.

The API runs in a child process as in production (uvicorn, with the graceful-shutdown
timeout `voiceagents serve` sets). The in-flight request is a Twilio call webhook whose
LiveKit (the fake, answering after a delay) takes 2 s to open the room; the WebSocket
client holds an open `organizationCallUpdates` subscription.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from pathlib import Path
from xml.etree import ElementTree

import httpx
from twilio.request_validator import RequestValidator
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from core.services.calls import room_name
from orm.models import Call, CallEvent
from tests.conftest import GraphQLClient, RunningServer, random_phone_number
from tests.reliability.helpers import (
    GRACEFUL_SHUTDOWN_SECONDS,
    SlowLiveKit,
    api_process,
    new_tenant,
)

PUBLIC_BASE_URL = "https://api.reliability.test"
TWILIO_TOKEN = "twilio-auth-token-reliability-0123456789"
SIP_HOST = "reliability.sip.livekit.test"
LIVEKIT_DELAY = 2.0
ORGANIZATION_UPDATES = """
subscription($organizationId: ID!) {
  organizationCallUpdates(organizationId: $organizationId) { type seq }
}
"""
# Going away (1001) or service restart (1012): both tell the client to reconnect elsewhere.
PROPER_CLOSE_CODES = (1001, 1012)


async def test_sigterm_lets_the_request_in_flight_finish_and_closes_websockets_properly(
    server: RunningServer, gql: GraphQLClient, tmp_path: Path
):
    # given: an agent with a number, and an API whose LiveKit takes 2 s to open a room
    number = random_phone_number()
    tenant = await new_tenant(gql, phone_number=number)
    async with SlowLiveKit(LIVEKIT_DELAY) as livekit:
        env = {
            "DATABASE_URL": server.settings.database_url,
            "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
            "TWILIO_AUTH_TOKEN": TWILIO_TOKEN,
            "LIVEKIT_URL": livekit.url,
            "LIVEKIT_API_KEY": livekit.api_key,
            "LIVEKIT_API_SECRET": livekit.api_secret,
            "LIVEKIT_SIP_HOST": SIP_HOST,
        }
        async with (
            api_process(env, tmp_path) as api,
            httpx.AsyncClient(base_url=api.base_url, timeout=20) as http,
        ):
            # and a dashboard with an open subscription
            socket = await connect(api.ws_url, subprotocols=["graphql-transport-ws"])
            await socket.send(
                json.dumps(
                    {
                        "type": "connection_init",
                        "payload": {"authorization": f"Bearer {tenant.owner.token}"},
                    }
                )
            )
            assert json.loads(await asyncio.wait_for(socket.recv(), 5))["type"] == "connection_ack"
            await socket.send(
                json.dumps(
                    {
                        "id": "org",
                        "type": "subscribe",
                        "payload": {
                            "query": ORGANIZATION_UPDATES,
                            "variables": {"organizationId": tenant.organization_id},
                        },
                    }
                )
            )
            # and a call webhook in flight, waiting on LiveKit
            params = {
                "CallSid": f"CA{uuid.uuid4().hex}",
                "From": "+14155550142",
                "To": number,
                "CallStatus": "ringing",
                "Direction": "inbound",
            }
            signature = RequestValidator(TWILIO_TOKEN).compute_signature(
                f"{PUBLIC_BASE_URL}/webhooks/twilio/voice", params
            )
            in_flight = asyncio.create_task(
                http.post(
                    "/webhooks/twilio/voice",
                    data=params,
                    headers={"X-Twilio-Signature": signature},
                )
            )
            await asyncio.wait_for(livekit.arrived.wait(), 10)
            # the ringing event, published before the room was asked for, proves the
            # subscription is live
            ringing = json.loads(await asyncio.wait_for(socket.recv(), 5))
            assert ringing["type"] == "next", ringing
            assert ringing["payload"]["data"]["organizationCallUpdates"]["seq"] == 1

            # when the process is asked to stop
            api.terminate()
            terminated_at = time.monotonic()

            # then the WebSocket gets a close frame (not a dropped connection), at once
            try:
                extra = await asyncio.wait_for(socket.recv(), 5)
                raise AssertionError(f"expected a close, got {extra}")
            except ConnectionClosed as closed:
                assert closed.rcvd is not None, "the connection was dropped without a close frame"
                assert closed.rcvd.code in PROPER_CLOSE_CODES, closed.rcvd
            assert time.monotonic() - terminated_at < LIVEKIT_DELAY
            # and the request in flight completes, with the answer it would have had
            answer = await asyncio.wait_for(in_flight, 10)
            assert answer.status_code == 200, answer.text
            sip = ElementTree.fromstring(answer.text).find("./Dial/Sip")
            call = await Call.get(twilio_call_sid=params["CallSid"])
            assert sip is not None and sip.text is not None
            assert sip.text.startswith(f"sip:{room_name(call.id)}@{SIP_HOST}")
            assert call.livekit_room == room_name(call.id)
            assert await CallEvent.filter(call_id=call.id).count() == 1
            # and the process then exits by itself, well before the graceful-shutdown timeout
            status = await api.exited(timeout=GRACEFUL_SHUTDOWN_SECONDS / 2)
            # uvicorn re-raises the signal it handled once it has shut down cleanly
            assert status in (0, -15), api.log()[-3000:]
            assert "Cancel" not in api.log(), api.log()[-3000:]
            assert "Traceback" not in api.log(), api.log()[-3000:]
            # and new connections are refused
            refused = False
            try:
                await http.get("/healthz")
            except httpx.ConnectError:
                refused = True
            assert refused
