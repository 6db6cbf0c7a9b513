"""webhookEndpointTest: a `ping` queued for the endpoint as a pending delivery."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.partner_webhooks.states import DisabledReason
from orm.models import WebhookDelivery, WebhookEndpoint
from tests.partner_webhooks.helpers import body_of
from tests.support.graphql import payload_codes
from tests.support.ids import global_id, uuid_of
from tests.support.operations import WEBHOOK_ENDPOINT_TEST


async def test_a_ping_is_queued_with_the_envelope_partners_receive(gql, make):
    # given
    tenant = await make.tenant()
    endpoint = (await make.webhook_endpoint(tenant)).endpoint
    endpoint_id = global_id("WebhookEndpoint", endpoint.id)

    # when
    before = datetime.now(UTC)
    payload = await gql.ok(
        WEBHOOK_ENDPOINT_TEST, {"input": {"id": endpoint_id}}, token=tenant.token
    )

    # then: pending, due now, its body the Standard Webhooks envelope of a ping
    shown = payload["webhookDelivery"]
    assert (shown["eventType"], shown["status"], shown["attempts"]) == ("ping", "PENDING", 0)
    row = await WebhookDelivery.get(id=uuid_of(shown["id"]))
    assert (row.endpoint_id, row.organization_id) == (endpoint.id, tenant.organization_uuid)
    assert row.status == "pending"
    assert before <= row.next_attempt_at <= datetime.now(UTC)
    body = body_of(row)
    assert body == {
        "type": "ping",
        "id": row.message_id,
        "timestamp": body["timestamp"],
        "organizationId": tenant.organization_id,
        "data": {"endpointId": endpoint_id},
    }
    assert abs(datetime.fromisoformat(body["timestamp"]) - before) < timedelta(minutes=1)
    assert row.body == row.body.replace(" ", ""), "compact JSON"
    assert shown["messageId"] == row.message_id
    assert shown["payload"] == body
    assert shown["nextAttemptAt"] is not None


async def test_each_ping_is_a_new_message(gql, make):
    # given
    tenant = await make.tenant()
    endpoint = (await make.webhook_endpoint(tenant)).endpoint
    variables = {"input": {"id": global_id("WebhookEndpoint", endpoint.id)}}

    # when
    first = await gql.ok(WEBHOOK_ENDPOINT_TEST, variables, token=tenant.token)
    second = await gql.ok(WEBHOOK_ENDPOINT_TEST, variables, token=tenant.token)

    # then
    assert first["webhookDelivery"]["messageId"] != second["webhookDelivery"]["messageId"]
    assert await WebhookDelivery.filter(endpoint_id=endpoint.id).count() == 2


async def test_a_disabled_endpoint_is_not_pinged(gql, make):
    # given
    tenant = await make.tenant()
    endpoint = (await make.webhook_endpoint(tenant)).endpoint
    await WebhookEndpoint.filter(id=endpoint.id).update(
        is_enabled=False, disabled_reason=DisabledReason.FAILING.value
    )

    # when
    payload = await gql.payload(
        WEBHOOK_ENDPOINT_TEST,
        {"input": {"id": global_id("WebhookEndpoint", endpoint.id)}},
        token=tenant.token,
    )

    # then
    assert payload_codes(payload) == ["ENDPOINT_DISABLED"]
    assert not await WebhookDelivery.filter(endpoint_id=endpoint.id).exists()
