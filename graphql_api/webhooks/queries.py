from __future__ import annotations

from typing import Annotated

import strawberry

from core.rbac import Permission
from graphql_api.context import Info
from graphql_api.permissions import ObjectArgument, requires
from graphql_api.webhooks.types import WebhookEndpointType


@strawberry.type
class WebhookQueries:
    @strawberry.field(
        description="One webhook endpoint with its deliveries; null, with NOT_FOUND, when it "
        "is missing or not yours. An organization's endpoints: `Organization.webhookEndpoints`.",
        extensions=requires(
            Permission.WEBHOOK_MANAGE, ObjectArgument("id", "WebhookEndpoint", "webhook_endpoint")
        ),
    )
    async def webhook_endpoint(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="The endpoint's global id.")],
    ) -> WebhookEndpointType | None:
        return WebhookEndpointType.from_model(info.context.checked_for(info).target)
