"""Dispatchers side by side: each delivery goes out once, an endpoint never has more than its
`max_concurrency` in flight over all of them, and a slow endpoint holds only itself.

On PostgreSQL the dispatchers claim with `SELECT ... FOR UPDATE SKIP LOCKED`; on SQLite with
leases (core/jobs.py). Both backends run every test here."""

from __future__ import annotations

from collections import Counter

from core.call_events import CallEventType, Speaker, TranscriptSegment
from core.partner_webhooks import doorbell
from core.partner_webhooks.dispatcher import Dispatcher
from core.services import calls
from orm.models import WebhookDelivery, WebhookEndpoint
from tests.fakes.partner_receiver import PartnerReceiver
from tests.partner_webhooks.dispatching import fast, running_dispatcher
from tests.support.waiting import eventually

TRANSCRIPTS = [CallEventType.TRANSCRIPT_SEGMENT]


async def _turns(call, count: int) -> None:
    for number in range(count):
        await calls.record_event(
            call_id=call.id,
            payload=TranscriptSegment(speaker=Speaker.CALLER, text=f"turn {number}"),
            bus=None,
        )


async def test_two_dispatchers_send_each_delivery_once(make, settings, receiver: PartnerReceiver):
    # given: two endpoints with room for ten each, and two dispatchers running
    tenant = await make.tenant()
    for path in ("/crm", "/tickets"):
        issued = await make.webhook_endpoint(
            tenant, url=receiver.url(path), event_types=TRANSCRIPTS
        )
        await WebhookEndpoint.filter(id=issued.endpoint.id).update(max_concurrency=10)
    call = await make.call(tenant)
    quick = fast(settings)

    async with running_dispatcher(quick) as first, running_dispatcher(quick) as second:
        # when: forty events are recorded while they run
        await _turns(call, 40)
        await eventually(lambda: len(receiver.received()) >= 80, what="80 deliveries")
        await eventually(
            lambda: _all_recorded(tenant.organization_uuid), what="every outcome recorded"
        )
        # (two more passes each after the last delivery: a late double send would show)
        passes = (first.passes, second.passes)
        doorbell.ring()
        await eventually(lambda: first.passes >= passes[0] + 2 and second.passes >= passes[1] + 2)

    # then: every message once at each endpoint, none twice
    for path in ("/crm", "/tickets"):
        counts = Counter(request.message_id for request in receiver.received(path))
        assert len(counts) == 40
        assert set(counts.values()) == {1}
    rows = await WebhookDelivery.filter(organization_id=tenant.organization_uuid)
    assert {(row.status, row.attempts) for row in rows} == {("succeeded", 1)}


async def _all_recorded(organization_id) -> bool:
    return not await WebhookDelivery.filter(
        organization_id=organization_id, status="pending"
    ).exists()


async def test_an_endpoint_never_has_more_than_its_cap_in_flight(
    make, settings, receiver: PartnerReceiver
):
    # given: an endpoint taking two at a time, answering only when released
    tenant = await make.tenant()
    issued = await make.webhook_endpoint(
        tenant, url=receiver.url("/capped"), event_types=TRANSCRIPTS
    )
    await WebhookEndpoint.filter(id=issued.endpoint.id).update(max_concurrency=2)
    receiver.hold("/capped")
    call = await make.call(tenant)
    quick = fast(settings)

    async with running_dispatcher(quick) as first, running_dispatcher(quick) as second:
        # when: six events wait for it, with two dispatchers looking
        await _turns(call, 6)
        await eventually(lambda: receiver.in_flight["/capped"] == 2, what="two in flight")
        passes = (first.passes, second.passes)
        doorbell.ring()
        await eventually(lambda: first.passes >= passes[0] + 2 and second.passes >= passes[1] + 2)

        # then: still two, though both looked again with four due
        assert receiver.in_flight["/capped"] == 2

        # and once it answers, the rest follow, never more than two at once
        receiver.release("/capped")
        await eventually(lambda: len(receiver.received("/capped")) == 6, what="all six")
        await eventually(
            lambda: _all_recorded(tenant.organization_uuid), what="every outcome recorded"
        )
    assert receiver.most_in_flight["/capped"] == 2


async def test_a_slow_endpoint_does_not_delay_another(make, settings, receiver: PartnerReceiver):
    # given: a partner whose endpoint hangs, and another that answers at once
    tenant = await make.tenant()
    await make.webhook_endpoint(tenant, url=receiver.url("/hangs"), event_types=TRANSCRIPTS)
    await make.webhook_endpoint(tenant, url=receiver.url("/quick"), event_types=TRANSCRIPTS)
    receiver.hold("/hangs")
    call = await make.call(tenant)

    async with running_dispatcher(fast(settings)):
        # when: an event for both
        await _turns(call, 1)

        # then: the quick one has it, and its delivery is recorded, while the other hangs
        await eventually(lambda: len(receiver.received("/quick")) == 1, what="the quick one")
        await eventually(lambda: _succeeded("/quick", receiver), what="recorded")
        # The other is sent by its own task, which may start after the quick one ended.
        await eventually(lambda: receiver.in_flight["/hangs"] == 1, what="the other hangs")
        receiver.release("/hangs")
        await eventually(lambda: _all_recorded(tenant.organization_uuid), what="both recorded")


async def _succeeded(path: str, receiver: PartnerReceiver) -> bool:
    endpoint = await WebhookEndpoint.get(url=receiver.url(path))
    return await WebhookDelivery.filter(endpoint_id=endpoint.id, status="succeeded").exists()


async def test_a_backlog_is_sent_without_searching_it_again_after_every_send(
    make, settings, receiver: PartnerReceiver, monkeypatch
):
    # given: twenty events waiting for an endpoint that takes one at a time, and a dispatcher
    # whose poll will not come round while it works through them
    tenant = await make.tenant()
    issued = await make.webhook_endpoint(tenant, url=receiver.url("/one"), event_types=TRANSCRIPTS)
    await WebhookEndpoint.filter(id=issued.endpoint.id).update(max_concurrency=1)
    await _turns(await make.call(tenant), 20)
    searches = _count_searches(monkeypatch)

    # when it runs
    async with running_dispatcher(fast(settings, webhook_dispatch_poll_seconds=60)):
        await eventually(lambda: len(receiver.received("/one")) == 20, what="all twenty")
        await eventually(lambda: _all_recorded(tenant.organization_uuid), what="all recorded")

    # then: one search of the backlog found the endpoint; each finished send claimed the
    # next for it alone (a search per send read the whole backlog twenty times)
    assert searches == [1]
    assert receiver.most_in_flight["/one"] == 1


def _count_searches(monkeypatch) -> list[int]:
    searches = [0]
    search = Dispatcher._due_endpoints

    async def counted(self: Dispatcher, now):  # type: ignore[no-untyped-def]
        searches[0] += 1
        return await search(self, now)

    monkeypatch.setattr(Dispatcher, "_due_endpoints", counted)
    return searches
