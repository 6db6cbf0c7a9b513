"""Reading endpoints and their deliveries: newest first, cursor pages, a status filter."""

from __future__ import annotations

from core.partner_webhooks.states import DeliveryStatus
from tests.partner_webhooks.helpers import body_of, delivery
from tests.support.ids import global_id
from tests.support.operations import WEBHOOK_ENDPOINT, WEBHOOK_ENDPOINTS


async def test_endpoints_are_listed_newest_first(gql, make):
    # given
    tenant = await make.tenant()
    older = (await make.webhook_endpoint(tenant, description="older")).endpoint
    newer = (await make.webhook_endpoint(tenant, description="newer")).endpoint

    # when
    data = await gql.data(WEBHOOK_ENDPOINTS, {"id": tenant.organization_id}, token=tenant.token)

    # then
    listed = data["organization"]["webhookEndpoints"]
    assert [edge["node"]["id"] for edge in listed["edges"]] == [
        global_id("WebhookEndpoint", newer.id),
        global_id("WebhookEndpoint", older.id),
    ]
    assert listed["totalCount"] == 2


async def test_deliveries_come_newest_first_page_by_page(gql, make):
    # given: three deliveries, oldest first
    tenant = await make.tenant()
    endpoint = (await make.webhook_endpoint(tenant)).endpoint
    rows = [await delivery(endpoint) for _ in range(3)]
    endpoint_id = global_id("WebhookEndpoint", endpoint.id)

    # when
    first = await gql.data(WEBHOOK_ENDPOINT, {"id": endpoint_id, "first": 2}, token=tenant.token)
    page = first["webhookEndpoint"]["deliveries"]
    second = await gql.data(
        WEBHOOK_ENDPOINT,
        {"id": endpoint_id, "first": 2, "after": page["pageInfo"]["endCursor"]},
        token=tenant.token,
    )

    # then
    seen = [edge["node"]["id"] for edge in page["edges"]] + [
        edge["node"]["id"] for edge in second["webhookEndpoint"]["deliveries"]["edges"]
    ]
    assert seen == [global_id("WebhookDelivery", row.id) for row in reversed(rows)]
    assert page["pageInfo"]["hasNextPage"] is True
    assert second["webhookEndpoint"]["deliveries"]["pageInfo"]["hasNextPage"] is False
    assert page["totalCount"] == 3


async def test_deliveries_filtered_by_status_show_what_the_dispatcher_recorded(gql, make):
    # given
    tenant = await make.tenant()
    endpoint = (await make.webhook_endpoint(tenant)).endpoint
    succeeded = await delivery(endpoint, DeliveryStatus.SUCCEEDED)
    failed = await delivery(endpoint, DeliveryStatus.FAILED)
    await delivery(endpoint, DeliveryStatus.PENDING)

    # when
    data = await gql.data(
        WEBHOOK_ENDPOINT,
        {"id": global_id("WebhookEndpoint", endpoint.id), "status": ["SUCCEEDED", "FAILED"]},
        token=tenant.token,
    )

    # then: no next attempt unless pending; the body as JSON
    nodes = [edge["node"] for edge in data["webhookEndpoint"]["deliveries"]["edges"]]
    assert [node["id"] for node in nodes] == [
        global_id("WebhookDelivery", failed.id),
        global_id("WebhookDelivery", succeeded.id),
    ]
    failed_node, succeeded_node = nodes
    assert failed_node | {"createdAt": None, "lastAttemptAt": None} == {
        "id": global_id("WebhookDelivery", failed.id),
        "eventType": "call.ended",
        "messageId": failed.message_id,
        "status": "FAILED",
        "attempts": 8,
        "lastAttemptAt": None,
        "lastResponseStatus": 500,
        "lastLatencyMs": 17,
        "lastError": "answered 500",
        "nextAttemptAt": None,
        "deliveredAt": None,
        "createdAt": None,
        "payload": body_of(failed),
    }
    assert succeeded_node["status"] == "SUCCEEDED"
    assert succeeded_node["deliveredAt"] is not None
    assert succeeded_node["nextAttemptAt"] is None
