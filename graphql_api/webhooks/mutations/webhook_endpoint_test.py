from __future__ import annotations

import strawberry

from core.rbac import Permission
from core.services import webhook_endpoints
from graphql_api.context import Info
from graphql_api.errors import mutation
from graphql_api.permissions import ObjectArgument, requires
from graphql_api.webhooks.mutations.common import WebhookDeliveryPayload
from graphql_api.webhooks.types import WebhookDeliveryType


@strawberry.input(description="The endpoint to send a test to.")
class WebhookEndpointTestInput:
    id: strawberry.ID = strawberry.field(description="The endpoint's global id.")


async def webhook_endpoint_test(
    info: Info, input: WebhookEndpointTestInput
) -> WebhookDeliveryPayload:
    """Send the endpoint a test event of type `ping`, signed like any other; follow it in
    the delivery returned (or in the endpoint's `deliveries`)."""
    endpoint = info.context.checked_for(info).target
    delivery = await webhook_endpoints.send_test(endpoint=endpoint)
    return WebhookDeliveryPayload(webhook_delivery=WebhookDeliveryType.from_model(delivery))


field = mutation(
    webhook_endpoint_test,
    permission=requires(
        Permission.WEBHOOK_MANAGE, ObjectArgument("input.id", "WebhookEndpoint", "webhook_endpoint")
    ),
)
