from __future__ import annotations

import strawberry

from core.rbac import Permission
from core.services import webhook_endpoints
from graphql_api.context import Info
from graphql_api.errors import mutation
from graphql_api.permissions import ObjectArgument, requires
from graphql_api.webhooks.mutations.common import WebhookDeliveryPayload
from graphql_api.webhooks.types import WebhookDeliveryType


@strawberry.input(description="The delivery to send again.")
class WebhookDeliveryRetryInput:
    id: strawberry.ID = strawberry.field(description="The delivery's global id.")


async def webhook_delivery_retry(
    info: Info, input: WebhookDeliveryRetryInput
) -> WebhookDeliveryPayload:
    """Send a delivery again now: a failed or pending one without waiting for its next
    scheduled attempt, a succeeded one once more (the same body and `webhook-id`, so the
    receiver can tell it is a resend)."""
    delivery = info.context.checked_for(info).target
    delivery = await webhook_endpoints.retry_delivery(delivery=delivery)
    return WebhookDeliveryPayload(webhook_delivery=WebhookDeliveryType.from_model(delivery))


field = mutation(
    webhook_delivery_retry,
    permission=requires(
        Permission.WEBHOOK_MANAGE,
        ObjectArgument("input.id", "WebhookDelivery", "webhook_delivery"),
    ),
)
