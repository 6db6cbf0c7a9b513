"""An organization's endpoints receive its own calls' events and nothing of another's."""

from __future__ import annotations

from core.call_events import CallStatus, Speaker, StatusSource, TranscriptSegment
from core.services import calls
from orm.models import WebhookDelivery
from tests.fakes.partner_receiver import PartnerReceiver
from tests.partner_webhooks.dispatching import deliver_due, dispatcher_of
from tests.support.ids import global_id


async def _whole_call(call) -> None:
    for status in (CallStatus.IN_PROGRESS, CallStatus.COMPLETED):
        await calls.apply_status(
            call_id=call.id, status=status, source=StatusSource.LIVEKIT, bus=None
        )


async def test_another_organizations_endpoints_receive_nothing_of_this_ones_calls(
    make, settings, receiver: PartnerReceiver
):
    # given: two organizations, each with an endpoint for every event type
    ours = await make.tenant()
    theirs = await make.tenant()
    await make.webhook_endpoint(ours, url=receiver.url("/ours"))
    await make.webhook_endpoint(theirs, url=receiver.url("/theirs"))
    our_call = await make.call(ours)
    their_call = await make.call(theirs)

    # when: our call happens, whole, and then one event of theirs
    async with dispatcher_of(settings) as dispatcher:
        await _whole_call(our_call)
        await calls.record_event(
            call_id=their_call.id,
            payload=TranscriptSegment(speaker=Speaker.CALLER, text="Hello?"),
            bus=None,
        )
        await deliver_due(dispatcher)

    # then: theirs got their one event, ours got all of ours, nobody the other's
    theirs_got = [request.json for request in receiver.received("/theirs")]
    assert [(p["type"], p["organizationId"]) for p in theirs_got] == [
        ("call.transcript", theirs.organization_id)
    ]
    assert theirs_got[0]["data"]["call"] == {"id": global_id("Call", their_call.id)}
    ours_got = [request.json for request in receiver.received("/ours")]
    assert sorted(p["type"] for p in ours_got) == [
        "call.ended",
        "call.started",
        "call.status_changed",
        "call.status_changed",
    ]
    assert {p["organizationId"] for p in ours_got} == {ours.organization_id}
    assert {p["data"]["call"]["id"] for p in ours_got} == {global_id("Call", our_call.id)}

    # and the outbox wrote no row across organizations
    for row in await WebhookDelivery.all().prefetch_related("endpoint"):
        assert row.organization_id == row.endpoint.organization_id
