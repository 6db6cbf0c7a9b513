"""webhookDeliveryRetry: a delivery goes back to pending, due now, for the dispatcher."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.partner_webhooks.states import DeliveryStatus, DisabledReason
from orm.models import WebhookDelivery, WebhookEndpoint
from tests.partner_webhooks.helpers import delivery
from tests.support.graphql import payload_codes
from tests.support.ids import global_id
from tests.support.operations import WEBHOOK_DELIVERY_RETRY


def _input(row: WebhookDelivery) -> dict:
    return {"input": {"id": global_id("WebhookDelivery", row.id)}}


@pytest.mark.parametrize(
    "status", [DeliveryStatus.FAILED, DeliveryStatus.PENDING, DeliveryStatus.SUCCEEDED]
)
async def test_a_delivery_is_due_again_now(gql, make, status):
    # given
    tenant = await make.tenant()
    endpoint = (await make.webhook_endpoint(tenant)).endpoint
    row = await delivery(endpoint, status)

    # when
    before = datetime.now(UTC)
    payload = await gql.ok(WEBHOOK_DELIVERY_RETRY, _input(row), token=tenant.token)

    # then: pending and due now; the same message, its history of attempts kept
    shown = payload["webhookDelivery"]
    assert shown["status"] == "PENDING"
    assert shown["deliveredAt"] is None
    after = await WebhookDelivery.get(id=row.id)
    assert after.status == "pending"
    assert before <= after.next_attempt_at <= datetime.now(UTC)
    assert (after.message_id, after.body, after.attempts) == (
        row.message_id,
        row.body,
        row.attempts,
    )
    assert after.delivered_at is None


async def test_a_delivery_being_sent_is_not_retried_under_the_dispatcher(gql, make):
    # given: a dispatcher holds the delivery's lease
    tenant = await make.tenant()
    endpoint = (await make.webhook_endpoint(tenant)).endpoint
    row = await delivery(
        endpoint, DeliveryStatus.PENDING, claimed_until=datetime.now(UTC) + timedelta(seconds=30)
    )

    # when
    payload = await gql.payload(WEBHOOK_DELIVERY_RETRY, _input(row), token=tenant.token)

    # then
    assert payload_codes(payload) == ["DELIVERY_IN_PROGRESS"]
    assert (await WebhookDelivery.get(id=row.id)).next_attempt_at == row.next_attempt_at


async def test_a_delivery_whose_lease_ran_out_is_retried(gql, make):
    # given: the dispatcher that held it died
    tenant = await make.tenant()
    endpoint = (await make.webhook_endpoint(tenant)).endpoint
    row = await delivery(
        endpoint, DeliveryStatus.FAILED, claimed_until=datetime.now(UTC) - timedelta(seconds=1)
    )

    # when
    payload = await gql.ok(WEBHOOK_DELIVERY_RETRY, _input(row), token=tenant.token)

    # then
    assert payload["webhookDelivery"]["status"] == "PENDING"


async def test_a_delivery_to_a_disabled_endpoint_is_not_retried(gql, make):
    # given
    tenant = await make.tenant()
    endpoint = (await make.webhook_endpoint(tenant)).endpoint
    row = await delivery(endpoint, DeliveryStatus.FAILED)
    await WebhookEndpoint.filter(id=endpoint.id).update(
        is_enabled=False, disabled_reason=DisabledReason.FAILING.value
    )

    # when
    payload = await gql.payload(WEBHOOK_DELIVERY_RETRY, _input(row), token=tenant.token)

    # then
    assert payload_codes(payload) == ["ENDPOINT_DISABLED"]
    assert (await WebhookDelivery.get(id=row.id)).status == "failed"
