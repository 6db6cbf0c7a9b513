"""webhookEndpointDelete: the endpoint goes, with every delivery to it."""

from __future__ import annotations

from core.partner_webhooks.states import DeliveryStatus
from orm.models import WebhookDelivery, WebhookEndpoint
from tests.partner_webhooks.helpers import delivery
from tests.support.ids import global_id
from tests.support.operations import WEBHOOK_ENDPOINT_DELETE


async def test_an_endpoint_is_deleted_with_its_deliveries(gql, make):
    # given: an endpoint with a pending and a failed delivery, and another endpoint
    tenant = await make.tenant()
    endpoint = (await make.webhook_endpoint(tenant)).endpoint
    await delivery(endpoint, DeliveryStatus.PENDING)
    await delivery(endpoint, DeliveryStatus.FAILED)
    kept = (await make.webhook_endpoint(tenant)).endpoint
    kept_delivery = await delivery(kept)

    # when
    payload = await gql.ok(
        WEBHOOK_ENDPOINT_DELETE,
        {"input": {"id": global_id("WebhookEndpoint", endpoint.id)}},
        token=tenant.token,
    )

    # then: the payload shows it as it was
    assert payload["webhookEndpoint"]["url"] == "https://hooks.example.com/voice"
    assert not await WebhookEndpoint.filter(id=endpoint.id).exists()
    assert not await WebhookDelivery.filter(endpoint_id=endpoint.id).exists()
    assert await WebhookEndpoint.filter(id=kept.id).exists()
    assert await WebhookDelivery.filter(id=kept_delivery.id).exists()
