from __future__ import annotations

import strawberry

from core.rbac import Permission
from core.services import webhook_endpoints
from core.services.webhook_endpoints import EndpointCreate
from graphql_api.calls.enums import CallEventType
from graphql_api.context import Info
from graphql_api.errors import mutation
from graphql_api.inputs import to_core
from graphql_api.organizations.mutations.common import checked_organization
from graphql_api.permissions import OrganizationArgument, requires
from graphql_api.webhooks.mutations.common import (
    DESCRIPTION_DESCRIPTION,
    ENABLED_DESCRIPTION,
    EVENT_TYPES_DESCRIPTION,
    URL_DESCRIPTION,
    WebhookEndpointSecretPayload,
)
from graphql_api.webhooks.types import WebhookEndpointType


@strawberry.input(description="A new webhook endpoint.")
class WebhookEndpointCreateInput:
    organization_id: strawberry.ID = strawberry.field(
        description="The global id of the organization whose events it receives."
    )
    url: str = strawberry.field(description=URL_DESCRIPTION)
    event_types: list[CallEventType] = strawberry.field(description=EVENT_TYPES_DESCRIPTION)
    description: str = strawberry.field(default="", description=DESCRIPTION_DESCRIPTION)
    is_enabled: bool = strawberry.field(
        default=True, name="enabled", description=f"{ENABLED_DESCRIPTION} Default true."
    )

    def to_core(self) -> EndpointCreate:
        return to_core(self, EndpointCreate)


async def webhook_endpoint_create(
    info: Info, input: WebhookEndpointCreateInput
) -> WebhookEndpointSecretPayload:
    """Register an endpoint for the organization's events. The payload carries its signing
    secret, shown this once: store it where the receiver verifies signatures."""
    organization = await checked_organization(info)
    issued = await webhook_endpoints.create(
        organization=organization, endpoint=input.to_core(), settings=info.context.settings
    )
    return WebhookEndpointSecretPayload(
        webhook_endpoint=WebhookEndpointType.from_model(issued.endpoint),
        signing_secret=issued.signing_secret,
    )


field = mutation(
    webhook_endpoint_create,
    permission=requires(Permission.WEBHOOK_MANAGE, OrganizationArgument("input.organization_id")),
)
