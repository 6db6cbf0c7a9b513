from __future__ import annotations

import strawberry

from core.rbac import Permission
from core.services import webhook_endpoints
from core.services.webhook_endpoints import EndpointChanges
from graphql_api.calls.enums import CallEventType
from graphql_api.context import Info
from graphql_api.errors import mutation
from graphql_api.inputs import to_core
from graphql_api.permissions import ObjectArgument, requires
from graphql_api.webhooks.mutations.common import (
    DESCRIPTION_DESCRIPTION,
    ENABLED_DESCRIPTION,
    EVENT_TYPES_DESCRIPTION,
    URL_DESCRIPTION,
    WebhookEndpointPayload,
)
from graphql_api.webhooks.types import WebhookEndpointType


@strawberry.input(description="Changes to a webhook endpoint; omitted fields stay.")
class WebhookEndpointUpdateInput:
    id: strawberry.ID = strawberry.field(description="The endpoint's global id.")
    url: str | None = strawberry.field(default=strawberry.UNSET, description=URL_DESCRIPTION)
    event_types: list[CallEventType] | None = strawberry.field(
        default=strawberry.UNSET, description=EVENT_TYPES_DESCRIPTION
    )
    description: str | None = strawberry.field(
        default=strawberry.UNSET, description=DESCRIPTION_DESCRIPTION
    )
    is_enabled: bool | None = strawberry.field(
        default=strawberry.UNSET,
        name="enabled",
        description=f"{ENABLED_DESCRIPTION} Enabling an endpoint the platform disabled for "
        "failing clears `disabledReason`; deliveries resume with new events.",
    )

    def to_core(self) -> EndpointChanges:
        return to_core(self, EndpointChanges)


async def webhook_endpoint_update(
    info: Info, input: WebhookEndpointUpdateInput
) -> WebhookEndpointPayload:
    """Change a webhook endpoint: its URL, the events it receives, its description, or
    whether it is enabled. Its signing secret stays (`webhookEndpointRotateSecret` changes it)."""
    endpoint = info.context.checked_for(info).target
    endpoint = await webhook_endpoints.update(
        endpoint=endpoint, changes=input.to_core(), settings=info.context.settings
    )
    return WebhookEndpointPayload(webhook_endpoint=WebhookEndpointType.from_model(endpoint))


field = mutation(
    webhook_endpoint_update,
    permission=requires(
        Permission.WEBHOOK_MANAGE, ObjectArgument("input.id", "WebhookEndpoint", "webhook_endpoint")
    ),
)
