"""The dispatcher as production runs it: inside `voiceagents serve`, and as
`voiceagents webhooks dispatch` for dedicated replicas. A delivery owed when the API stops
is sent by the next one: the outbox is in the database, not in a process."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import pytest

from core.call_events import CallEventType, Speaker, TranscriptSegment
from core.partner_webhooks.schedule import RETRY_DELAYS
from core.services import calls
from orm.models import WebhookDelivery
from tests.fakes.partner_receiver import PartnerReceiver
from tests.partner_webhooks.dispatching import spawn_cli
from tests.reliability.helpers import START_UP_DEADLINE, api_process
from tests.support.servers import RunningServer
from tests.support.waiting import DEADLINE, eventually

pytestmark = pytest.mark.slow

TRANSCRIPTS = [CallEventType.TRANSCRIPT_SEGMENT]


def _environment(server: RunningServer) -> dict[str, str]:
    return {
        "DATABASE_URL": server.settings.database_url,
        "WEBHOOK_DISPATCH_POLL_SECONDS": "0.2",
    }


async def _record_turn(call) -> str:
    event = await calls.record_event(
        call_id=call.id, payload=TranscriptSegment(speaker=Speaker.CALLER, text="Hi"), bus=None
    )
    assert event is not None
    return str(event.id)


async def test_a_delivery_owed_when_the_api_stops_goes_out_from_the_next_one(
    server: RunningServer, make, receiver: PartnerReceiver, tmp_path: Path
):
    # given: an endpoint that fails its first request, and an API serving
    tenant = await make.tenant()
    issued = await make.webhook_endpoint(
        tenant, url=receiver.url("/restart"), event_types=TRANSCRIPTS
    )
    receiver.answer("/restart", 500, 200)
    call = await make.call(tenant)
    environment = _environment(server)

    async with api_process(environment, tmp_path) as first_api:
        # when: an event is recorded; the API tries once and is told to retry later
        message_id = await _record_turn(call)

        async def tried_once() -> bool:
            row = await WebhookDelivery.get(message_id=message_id)
            return row.attempts == 1

        await eventually(tried_once, what="the first attempt recorded")
        await first_api.stop()

    # and a new API starts on the same database
    async with api_process(environment, tmp_path):
        # then: the retry goes out from it when due (about 5 s after the first attempt)
        async def delivered() -> bool:
            row = await WebhookDelivery.get(message_id=message_id)
            return row.status == "succeeded"

        await eventually(
            delivered, timeout=DEADLINE + RETRY_DELAYS[0].total_seconds(), what="the retry"
        )

    first, retry = receiver.received("/restart")
    assert first.message_id == retry.message_id == message_id
    assert retry.verified(issued.signing_secret)["type"] == "call.transcript"
    row = await WebhookDelivery.get(message_id=message_id)
    assert (row.attempts, row.last_response_status) == (2, 200)


async def test_a_dedicated_dispatcher_delivers_and_stops_on_sigterm(
    server: RunningServer, make, receiver: PartnerReceiver, tmp_path: Path
):
    # given: `voiceagents webhooks dispatch` running
    tenant = await make.tenant()
    issued = await make.webhook_endpoint(
        tenant, url=receiver.url("/replica"), event_types=TRANSCRIPTS
    )
    call = await make.call(tenant)
    process = spawn_cli(["webhooks", "dispatch"], _environment(server), tmp_path / "dispatch.log")
    try:
        # when: an event is recorded in another process (this one)
        message_id = await _record_turn(call)

        # then: the replica sends it
        await eventually(
            lambda: len(receiver.received("/replica")) == 1,
            timeout=START_UP_DEADLINE,
            what="the delivery",
        )
        (request,) = receiver.received("/replica")
        assert request.message_id == message_id
        assert request.verified(issued.signing_secret)["type"] == "call.transcript"

        # and it stops cleanly when told to
        process.send_signal(signal.SIGTERM)
        exit_status = await asyncio.to_thread(process.wait, DEADLINE)
        assert exit_status == 0, (tmp_path / "dispatch.log").read_text()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(DEADLINE)
