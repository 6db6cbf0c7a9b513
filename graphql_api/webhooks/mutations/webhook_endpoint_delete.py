from __future__ import annotations

import strawberry

from core.rbac import Permission
from core.services import webhook_endpoints
from graphql_api.context import Info
from graphql_api.errors import mutation
from graphql_api.permissions import ObjectArgument, requires
from graphql_api.webhooks.mutations.common import WebhookEndpointPayload
from graphql_api.webhooks.types import WebhookEndpointType


@strawberry.input(description="The webhook endpoint to delete.")
class WebhookEndpointDeleteInput:
    id: strawberry.ID = strawberry.field(description="The endpoint's global id.")


async def webhook_endpoint_delete(
    info: Info, input: WebhookEndpointDeleteInput
) -> WebhookEndpointPayload:
    """Delete a webhook endpoint with its deliveries; nothing more is sent to it, pending
    deliveries included."""
    endpoint = info.context.checked_for(info).target
    deleted = WebhookEndpointType.from_model(endpoint)
    await webhook_endpoints.delete(endpoint=endpoint)
    return WebhookEndpointPayload(webhook_endpoint=deleted)


field = mutation(
    webhook_endpoint_delete,
    permission=requires(
        Permission.WEBHOOK_MANAGE, ObjectArgument("input.id", "WebhookEndpoint", "webhook_endpoint")
    ),
)
