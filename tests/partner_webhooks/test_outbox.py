"""The outbox: recording a call event writes its deliveries in the same transaction, at the
cost of one SELECT (the organization's enabled endpoints) when nobody listens."""

from __future__ import annotations

import json

import pytest
from tortoise.transactions import in_transaction

from core.call_events import CallEventType, Speaker, TranscriptSegment
from core.services import calls
from orm.models import CallEvent, WebhookDelivery
from tests.support.logs import sql_statements


def _touching(statements: list[str], table: str) -> list[str]:
    return [statement for statement in statements if table in statement]


async def _record_turn(call) -> None:
    await calls.record_event(
        call_id=call.id, payload=TranscriptSegment(speaker=Speaker.CALLER, text="Hi"), bus=None
    )


async def test_an_event_nobody_listens_to_costs_one_select(make):
    # given: endpoints, none for transcripts (and one switched off)
    tenant = await make.tenant()
    await make.webhook_endpoint(tenant, event_types=[CallEventType.ENDED])
    await make.webhook_endpoint(tenant, is_enabled=False)
    call = await make.call(tenant)

    # when
    with sql_statements() as statements:
        await _record_turn(call)

    # then: one SELECT of the endpoints, and nothing written for them
    assert len(_touching(statements, "webhook_endpoints")) == 1
    assert _touching(statements, "webhook_deliveries") == []
    assert not await WebhookDelivery.filter(organization_id=tenant.organization_uuid).exists()


async def test_one_insert_writes_a_delivery_for_each_listening_endpoint(make):
    # given: three endpoints that take transcripts
    tenant = await make.tenant()
    for number in range(3):
        await make.webhook_endpoint(
            tenant,
            url=f"https://crm{number}.example.com/hooks",
            event_types=[CallEventType.TRANSCRIPT_SEGMENT],
        )
    call = await make.call(tenant)

    # when
    with sql_statements() as statements:
        await _record_turn(call)

    # then: one SELECT, one INSERT of three rows, each due now with the same body
    assert len(_touching(statements, "webhook_endpoints")) == 1
    assert len(_touching(statements, "webhook_deliveries")) == 1
    rows = await WebhookDelivery.filter(organization_id=tenant.organization_uuid)
    event = await CallEvent.get(call_id=call.id)
    assert len(rows) == 3
    assert {(row.message_id, row.event_type, row.status, row.attempts) for row in rows} == {
        (str(event.id), "call.transcript", "pending", 0)
    }
    assert len({row.body for row in rows}) == 1
    assert {row.next_attempt_at for row in rows} == {event.occurred_at}
    body = json.loads(rows[0].body)
    assert (body["type"], body["id"], body["organizationId"]) == (
        "call.transcript",
        str(event.id),
        tenant.organization_id,
    )


async def test_deliveries_are_written_with_their_event_or_not_at_all(make):
    # given: an endpoint for transcripts
    tenant = await make.tenant()
    await make.webhook_endpoint(tenant, event_types=[CallEventType.TRANSCRIPT_SEGMENT])
    call = await make.call(tenant)

    # when: the transaction the event is recorded in fails afterwards
    with pytest.raises(RuntimeError):
        async with in_transaction():
            await _record_turn(call)
            assert await WebhookDelivery.filter(organization_id=tenant.organization_uuid).exists()
            raise RuntimeError("the rest of the transaction failed")

    # then: neither the event nor its delivery
    assert not await CallEvent.filter(call_id=call.id).exists()
    assert not await WebhookDelivery.filter(organization_id=tenant.organization_uuid).exists()
