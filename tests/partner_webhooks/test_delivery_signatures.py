"""Signatures follow the Standard Webhooks specification: during a secret rotation's overlap
both secrets sign (two space-separated signatures), after it only the new one; a test ping
(`webhookEndpointTest`) goes out signed like any event."""

from __future__ import annotations

from datetime import timedelta

import pytest
from standardwebhooks.webhooks import WebhookVerificationError

from core.call_events import CallEventType, Speaker, TranscriptSegment
from core.services import calls, webhook_endpoints
from tests.fakes.partner_receiver import PartnerReceiver
from tests.partner_webhooks.dispatching import FakeClock, deliver_due, dispatcher_of


async def test_both_secrets_sign_during_the_overlap_and_only_the_new_one_after(
    make, settings, receiver: PartnerReceiver
):
    # given: an endpoint whose secret was rotated with a 24-hour overlap
    tenant = await make.tenant()
    issued = await make.webhook_endpoint(
        tenant, url=receiver.url("/rotating"), event_types=[CallEventType.TRANSCRIPT_SEGMENT]
    )
    rotated = await webhook_endpoints.rotate_secret(
        endpoint=issued.endpoint, settings=settings, overlap_hours=24
    )
    call = await make.call(tenant)
    clock = FakeClock()

    async with dispatcher_of(settings, clock=clock) as dispatcher:
        # when: one event during the overlap, one after it
        for _ in range(2):
            await calls.record_event(
                call_id=call.id,
                payload=TranscriptSegment(speaker=Speaker.AGENT, text="Still there?"),
                bus=None,
            )
            await deliver_due(dispatcher)
            clock.advance(timedelta(hours=25))

    # then: during the overlap, two signatures, each secret verifying on its own
    during, after = receiver.received("/rotating")
    assert len(during.headers["webhook-signature"].split(" ")) == 2
    assert during.verified(rotated.signing_secret)
    assert during.verified(issued.signing_secret)
    # and after it, the new one alone
    assert after.headers["webhook-signature"].count("v1,") == 1
    assert after.signed_by(rotated.signing_secret)
    assert not after.signed_by(issued.signing_secret)


async def test_a_tampered_body_does_not_verify(make, settings, receiver: PartnerReceiver):
    # given: a delivered event
    tenant = await make.tenant()
    issued = await make.webhook_endpoint(
        tenant, url=receiver.url("/strict"), event_types=[CallEventType.TRANSCRIPT_SEGMENT]
    )
    call = await make.call(tenant)
    async with dispatcher_of(settings) as dispatcher:
        await calls.record_event(
            call_id=call.id,
            payload=TranscriptSegment(speaker=Speaker.CALLER, text="I owe you 10"),
            bus=None,
        )
        await deliver_due(dispatcher)
    (request,) = receiver.received("/strict")

    # when: someone changes the body on the way
    request.body = request.body.replace(b"10", b"99")

    # then
    with pytest.raises(WebhookVerificationError):
        request.verified(issued.signing_secret)


async def test_a_ping_goes_out_signed(make, settings, receiver: PartnerReceiver):
    # given: a test delivery queued as `webhookEndpointTest` queues it
    tenant = await make.tenant()
    issued = await make.webhook_endpoint(tenant, url=receiver.url("/ping"))
    queued = await webhook_endpoints.send_test(endpoint=issued.endpoint)

    # when
    async with dispatcher_of(settings) as dispatcher:
        assert await deliver_due(dispatcher) == 1

    # then
    (request,) = receiver.received("/ping")
    payload = request.verified(issued.signing_secret)
    assert (payload["type"], request.message_id) == ("ping", queued.message_id)
    await queued.refresh_from_db()
    assert (queued.status, queued.last_response_status) == ("succeeded", 204)
