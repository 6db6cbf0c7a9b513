from __future__ import annotations

import strawberry

from core.rbac import Permission
from core.services import webhook_endpoints
from core.services.webhook_endpoints import DEFAULT_OVERLAP_HOURS, MAX_OVERLAP_HOURS
from graphql_api.context import Info
from graphql_api.errors import mutation
from graphql_api.permissions import ObjectArgument, requires
from graphql_api.webhooks.mutations.common import WebhookEndpointSecretPayload
from graphql_api.webhooks.types import WebhookEndpointType


@strawberry.input(description="The endpoint whose signing secret to replace.")
class WebhookEndpointRotateSecretInput:
    id: strawberry.ID = strawberry.field(description="The endpoint's global id.")
    overlap_hours: int = strawberry.field(
        default=DEFAULT_OVERLAP_HOURS,
        description=f"How long the current secret keeps signing beside the new one, 0 to "
        f"{MAX_OVERLAP_HOURS} hours; default {DEFAULT_OVERLAP_HOURS}. 0 stops it at once "
        "(for a secret that leaked).",
    )


async def webhook_endpoint_rotate_secret(
    info: Info, input: WebhookEndpointRotateSecretInput
) -> WebhookEndpointSecretPayload:
    """Give an endpoint a new signing secret, shown this once in the payload. The current
    secret keeps signing beside it for the overlap (every delivery carries both signatures),
    so the receiver can switch without losing an event."""
    endpoint = info.context.checked_for(info).target
    issued = await webhook_endpoints.rotate_secret(
        endpoint=endpoint, settings=info.context.settings, overlap_hours=input.overlap_hours
    )
    return WebhookEndpointSecretPayload(
        webhook_endpoint=WebhookEndpointType.from_model(issued.endpoint),
        signing_secret=issued.signing_secret,
    )


field = mutation(
    webhook_endpoint_rotate_secret,
    permission=requires(
        Permission.WEBHOOK_MANAGE, ObjectArgument("input.id", "WebhookEndpoint", "webhook_endpoint")
    ),
)
