"""Every delivery goes through the SSRF guard of custom HTTP functions, where its connection
is made: an endpoint row pointing at this machine is refused by a production installation at
delivery time (however the row came to say so), unless the operator admits the network."""

from __future__ import annotations

from core.call_events import CallEventType, Speaker, TranscriptSegment
from core.services import calls
from orm.models import WebhookDelivery, WebhookEndpoint
from tests.fakes.partner_receiver import PartnerReceiver
from tests.partner_webhooks.dispatching import deliver_due, dispatcher_of

TRANSCRIPTS = [CallEventType.TRANSCRIPT_SEGMENT]


async def _record_turn(call) -> str:
    event = await calls.record_event(
        call_id=call.id, payload=TranscriptSegment(speaker=Speaker.AGENT, text="Hi"), bus=None
    )
    assert event is not None
    return str(event.id)


async def _endpoints_at_this_machine(make, receiver: PartnerReceiver):
    """Endpoints registered in development at 127.0.0.1 and at `localhost`: rows a production
    installation might hold anyway (copied data, a setting changed since)."""
    tenant = await make.tenant()
    by_address = await make.webhook_endpoint(
        tenant, url=receiver.url("/by-address"), event_types=TRANSCRIPTS
    )
    by_name = await make.webhook_endpoint(
        tenant,
        url=f"http://localhost:{receiver.port}/by-name",
        event_types=TRANSCRIPTS,
    )
    return tenant, [by_address.endpoint, by_name.endpoint]


async def test_production_refuses_loopback_at_delivery_time(
    make, settings, receiver: PartnerReceiver
):
    # given
    tenant, endpoints = await _endpoints_at_this_machine(make, receiver)
    call = await make.call(tenant)
    production = settings.model_copy(update={"environment": "production"})

    # when
    async with dispatcher_of(production) as dispatcher:
        message_id = await _record_turn(call)
        assert await deliver_due(dispatcher) == 2

    # then: nothing reached the machine, and each attempt says why
    assert receiver.received() == []
    for row in await WebhookDelivery.filter(message_id=message_id):
        assert (row.status, row.attempts, row.last_response_status) == ("pending", 1, None)
        assert row.last_error == "refused: the host is private, loopback, link-local or internal"
    assert {e.id for e in endpoints} == {
        row.endpoint_id for row in await WebhookDelivery.filter(message_id=message_id)
    }


async def test_development_and_admitted_networks_reach_this_machine(
    make, settings, receiver: PartnerReceiver
):
    # given: the same endpoints, a development installation, and a production one whose
    # operator admitted loopback and the name
    tenant, _ = await _endpoints_at_this_machine(make, receiver)
    call = await make.call(tenant)
    admitted = settings.model_copy(
        update={
            "environment": "production",
            "webhook_allowed_networks": ["127.0.0.0/8", "localhost"],
        }
    )

    for installation in (settings, admitted):
        # when
        async with dispatcher_of(installation) as dispatcher:
            message_id = await _record_turn(call)
            assert await deliver_due(dispatcher) == 2

        # then
        rows = await WebhookDelivery.filter(message_id=message_id)
        assert {(row.status, row.last_response_status) for row in rows} == {("succeeded", 204)}
    assert len(receiver.received("/by-address")) == len(receiver.received("/by-name")) == 2


async def test_a_disabled_endpoint_holds_its_pending_deliveries(
    make, settings, receiver: PartnerReceiver
):
    # given: a delivery written while the endpoint was on, then the endpoint switched off
    tenant = await make.tenant()
    issued = await make.webhook_endpoint(
        tenant, url=receiver.url("/paused"), event_types=TRANSCRIPTS
    )
    call = await make.call(tenant)
    message_id = await _record_turn(call)
    await WebhookEndpoint.filter(id=issued.endpoint.id).update(
        is_enabled=False, disabled_reason="manual"
    )

    async with dispatcher_of(settings) as dispatcher:
        # when / then: nothing is sent while it is off
        assert await deliver_due(dispatcher) == 0
        assert receiver.received() == []

        # and once it is on again, the delivery goes
        await WebhookEndpoint.filter(id=issued.endpoint.id).update(
            is_enabled=True, disabled_reason=None
        )
        assert await deliver_due(dispatcher) == 1
    assert [request.message_id for request in receiver.received("/paused")] == [message_id]
