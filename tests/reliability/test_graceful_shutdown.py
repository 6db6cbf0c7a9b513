"""Graceful shutdown of the API: SIGTERM lets in-flight requests finish and closes
WebSockets with a proper close frame.

The API runs in a child process as in production (`voiceagents serve`). The in-flight
request is a Twilio call webhook waiting on LiveKit (the fake, holding its answer until
the test releases it) to open the room; the WebSocket client holds an open `callEvents`
subscription on that call.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from xml.etree import ElementTree

import httpx
import pytest

from core.services.calls import room_name
from orm.models import Call, CallEvent
from tests.reliability.helpers import GRACEFUL_SHUTDOWN_SECONDS, SlowLiveKit, api_process
from tests.support.graphql import GraphQLClient
from tests.support.ids import global_id
from tests.support.operations import CALL_EVENTS
from tests.support.servers import RunningServer
from tests.support.telephony import (
    PUBLIC_BASE_URL,
    SIP_HOST,
    TWILIO_AUTH_TOKEN,
    Telephony,
    voice_params,
)
from tests.support.waiting import DEADLINE
from tests.support.websocket import graphql_socket

pytestmark = pytest.mark.slow

# Going away (1001) or service restart (1012): both tell the client to reconnect elsewhere.
PROPER_CLOSE_CODES = (1001, 1012)


async def test_sigterm_lets_the_request_in_flight_finish_and_closes_websockets_properly(
    server: RunningServer, make, tmp_path: Path
):
    # given: an agent with a number, and an API whose LiveKit answers only when released
    tenant = await make.tenant("Reliable Co")
    agent = await make.agent(tenant, greeting="Hello, Reliable Co.", phone_number=True)
    async with SlowLiveKit() as livekit:
        env = {
            "DATABASE_URL": server.settings.database_url,
            "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
            "TWILIO_AUTH_TOKEN": TWILIO_AUTH_TOKEN,
            "LIVEKIT_URL": livekit.url,
            "LIVEKIT_API_KEY": livekit.api_key,
            "LIVEKIT_API_SECRET": livekit.api_secret,
            "LIVEKIT_SIP_HOST": SIP_HOST,
        }
        async with (
            api_process(env, tmp_path) as api,
            httpx.AsyncClient(base_url=api.base_url, timeout=DEADLINE) as http,
        ):
            twilio = Telephony(server.settings, http, GraphQLClient(http), livekit)
            # and a call webhook in flight, waiting on LiveKit
            params = voice_params(agent.phone_number.e164, from_="+14155550142")
            in_flight = asyncio.create_task(twilio.voice(params))
            try:
                await asyncio.wait_for(livekit.arrived.wait(), DEADLINE)
                # (the call and its ringing event are recorded before the room is asked for)
                call = await Call.get(twilio_call_sid=params["CallSid"])

                # and a dashboard streaming the call: the record replayed, then live
                async with graphql_socket(api.ws_url, tenant.token) as socket:
                    await socket.subscribe(
                        "call", CALL_EVENTS, {"callId": global_id("Call", call.id)}
                    )
                    ringing = await socket.data("call", "callEvents")

                    # when the process is asked to stop
                    api.terminate()

                    # then the WebSocket gets a close frame (not a dropped connection), while
                    # the request is still in flight: closing does not wait for it
                    code, _ = await socket.wait_closed()
                    assert code in PROPER_CLOSE_CODES, code
                    assert socket.pending("call") == []
                    assert not in_flight.done()

                # and the request in flight completes, with the answer it would have had
                livekit.release()
                answer = await asyncio.wait_for(in_flight, DEADLINE)
            finally:
                livekit.release()
                await asyncio.wait({in_flight}, timeout=DEADLINE)
            assert (ringing["seq"], ringing["__typename"], ringing["status"]) == (
                1,
                "CallStatusChanged",
                "RINGING",
            )
            assert answer.status_code == 200, answer.text
            sip = ElementTree.fromstring(answer.text).find("./Dial/Sip")
            assert sip is not None and sip.text is not None
            assert sip.text.startswith(f"sip:{room_name(call.id)}@{SIP_HOST}")
            await call.refresh_from_db()
            assert call.livekit_room == room_name(call.id)
            assert await CallEvent.filter(call_id=call.id).count() == 1
            # and the process then exits by itself, before the graceful-shutdown timeout (when
            # uvicorn gives up on a request it logs "Cancel N running task(s)")
            status = await api.exited(timeout=GRACEFUL_SHUTDOWN_SECONDS + DEADLINE)
            # uvicorn re-raises the signal it handled once it has shut down cleanly
            assert status in (0, -15), api.log()[-3000:]
            assert "Cancel" not in api.log(), api.log()[-3000:]
            assert "Traceback" not in api.log(), api.log()[-3000:]
            # and new connections are refused
            with pytest.raises(httpx.ConnectError):
                await http.get("/healthz")
