"""Partner webhook endpoints and their deliveries, as the organization sees them.

Neither type has a field for a signing secret: it is shown once, in the payload of
`webhookEndpointCreate` or `webhookEndpointRotateSecret`, and never read back.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from core.call_events import CallEventType as CoreCallEventType
from core.partner_webhooks.states import DeliveryStatus, DisabledReason
from core.rbac import Permission
from core.services import webhook_endpoints
from graphql_api.calls.enums import CallEventType
from graphql_api.context import Info
from graphql_api.errors import NotFoundError
from graphql_api.node import Node, NodeKind
from graphql_api.organizations.types import OrganizationType, owning_organization
from graphql_api.pagination import CountedConnection, after_argument, first_argument, paginate
from graphql_api.permissions import SourceOrganization, requires
from graphql_api.webhooks.enums import WebhookDeliveryStatus, WebhookEndpointDisabledReason
from orm.models import WebhookDelivery, WebhookEndpoint


@strawberry.type(
    name="WebhookDelivery",
    description="One event (or test ping) sent to one endpoint: the same body and `webhook-id` "
    "on every attempt, signed afresh each time.",
)
class WebhookDeliveryType(Node):
    node_kind = NodeKind("webhook_delivery", Permission.WEBHOOK_MANAGE)

    event_type: str = strawberry.field(
        description="What it carries: a `CallEventType` value such as `call.ended`, or `ping` "
        "for a test sent by `webhookEndpointTest`."
    )
    message_id: str = strawberry.field(
        description="The `webhook-id` header and the body's `id`: the same on every attempt "
        "and resend, for the receiver to ignore repeats."
    )
    status: WebhookDeliveryStatus = strawberry.field(description="Where it stands.")
    attempts: int = strawberry.field(description="How many times it was sent so far.")
    last_attempt_at: datetime | None = strawberry.field(
        description="When it was last sent; null before the first attempt."
    )
    last_response_status: int | None = strawberry.field(
        description="The HTTP status the endpoint answered last; null before the first "
        "attempt, or when the last one got no answer (see `lastError`)."
    )
    last_latency_ms: int | None = strawberry.field(
        description="How long the last attempt took until the answer, in milliseconds."
    )
    last_error: str | None = strawberry.field(
        description="Why the last attempt failed (a timeout, a refused connection, a non-2xx "
        "status); null when it succeeded or before the first attempt."
    )
    next_attempt_at: datetime | None = strawberry.field(
        description="When it is sent next; null unless it is pending."
    )
    delivered_at: datetime | None = strawberry.field(
        description="When the endpoint accepted it (2xx); null until then."
    )
    created_at: datetime = strawberry.field(description="When it was queued.")
    model: strawberry.Private[WebhookDelivery]

    @property
    def organization_id(self) -> uuid.UUID:
        return self.model.organization_id

    @strawberry.field(
        description="The body sent, as JSON: `{type, id, timestamp, organizationId, data}` "
        "(docs/webhooks.md). It carries the call's record (a transcript, an analysis), so it "
        "asks for the permission that reads calls.",
        extensions=requires(Permission.CALL_READ, SourceOrganization()),
    )
    async def payload(self, info: Info) -> JSON | None:
        return _parsed(self.model.body)

    @strawberry.field(description="The endpoint it goes to.")
    async def endpoint(self, info: Info) -> WebhookEndpointType:
        endpoint = await info.context.loaders.webhook_endpoint.load(self.model.endpoint_id)
        if endpoint is None:
            raise NotFoundError("WebhookEndpoint")
        return WebhookEndpointType.from_model(endpoint)

    @classmethod
    def from_model(cls, delivery: WebhookDelivery) -> WebhookDeliveryType:
        pending = delivery.status == DeliveryStatus.PENDING.value
        return cls(
            id=str(delivery.id),
            event_type=delivery.event_type,
            message_id=delivery.message_id,
            status=DeliveryStatus(delivery.status),
            attempts=delivery.attempts,
            last_attempt_at=delivery.last_attempt_at,
            last_response_status=delivery.last_response_status,
            last_latency_ms=delivery.last_latency_ms,
            last_error=delivery.last_error,
            next_attempt_at=delivery.next_attempt_at if pending else None,
            delivered_at=delivery.delivered_at,
            created_at=delivery.created_at,
            model=delivery,
        )


@strawberry.type(
    name="WebhookDeliveryConnection",
    description="A page of an endpoint's deliveries, newest first.",
)
class WebhookDeliveryConnection(CountedConnection[WebhookDeliveryType]):
    pass


@strawberry.type(
    name="WebhookEndpoint",
    description="A URL of a partner's system that the platform pushes call events to, signed "
    "with the endpoint's secret (Standard Webhooks; docs/webhooks.md).",
)
class WebhookEndpointType(Node):
    node_kind = NodeKind("webhook_endpoint", Permission.WEBHOOK_MANAGE)

    url: str = strawberry.field(
        description="Where events are POSTed: https (plain http only to a loopback host on a "
        "development installation)."
    )
    description: str = strawberry.field(
        description="What it is for, up to 500 characters; empty when not given."
    )
    event_types: list[CallEventType] = strawberry.field(
        description="The events it receives. A test `ping` reaches it whatever this says."
    )
    enabled: bool = strawberry.field(description="Whether events are sent to it.")
    disabled_reason: WebhookEndpointDisabledReason | None = strawberry.field(
        description="Why it is disabled; null while it is enabled."
    )
    previous_secret_expires_at: datetime | None = strawberry.field(
        description="During a secret rotation's overlap: when the previous signing secret "
        "stops signing (until then every delivery carries a signature by each). Null when no "
        "overlap is running."
    )
    created_at: datetime = strawberry.field(description="When it was registered.")
    updated_at: datetime = strawberry.field(description="When it or its secret last changed.")
    model: strawberry.Private[WebhookEndpoint]

    @property
    def organization_id(self) -> uuid.UUID:
        return self.model.organization_id

    @strawberry.field(description="The organization it belongs to.")
    async def organization(self, info: Info) -> OrganizationType:
        return await owning_organization(info, self.model.organization_id)

    @strawberry.field(
        description="What was sent to it, newest first.",
        extensions=requires(Permission.WEBHOOK_MANAGE, SourceOrganization()),
    )
    async def deliveries(
        self,
        info: Info,
        status: Annotated[
            list[WebhookDeliveryStatus] | None,
            strawberry.argument(description="Only deliveries in one of these statuses."),
        ] = None,
        first: Annotated[int | None, first_argument(WebhookDeliveryConnection.page_size)] = (
            WebhookDeliveryConnection.page_size.default
        ),
        after: Annotated[str | None, after_argument()] = None,
    ) -> WebhookDeliveryConnection | None:
        return await paginate(
            webhook_endpoints.get_deliveries(endpoint=self.model, statuses=status),
            first=first,
            after=after,
            to_node=WebhookDeliveryType.from_model,
            connection=WebhookDeliveryConnection,
        )

    @classmethod
    def from_model(cls, endpoint: WebhookEndpoint) -> WebhookEndpointType:
        known = {member.value for member in CoreCallEventType}
        return cls(
            id=str(endpoint.id),
            url=endpoint.url,
            description=endpoint.description,
            event_types=[CoreCallEventType(t) for t in endpoint.event_types if t in known],
            enabled=endpoint.is_enabled,
            disabled_reason=(
                DisabledReason(endpoint.disabled_reason) if endpoint.disabled_reason else None
            ),
            previous_secret_expires_at=webhook_endpoints.secret_overlap_ends_at(endpoint),
            created_at=endpoint.created_at,
            updated_at=endpoint.updated_at,
            model=endpoint,
        )


@strawberry.type(
    name="WebhookEndpointConnection",
    description="A page of the organization's webhook endpoints, newest first.",
)
class WebhookEndpointConnection(CountedConnection[WebhookEndpointType]):
    pass


async def endpoints_page(
    *, organization_id: uuid.UUID, first: int | None, after: str | None
) -> WebhookEndpointConnection:
    return await paginate(
        webhook_endpoints.get_all(organization_id=organization_id),
        first=first,
        after=after,
        to_node=WebhookEndpointType.from_model,
        connection=WebhookEndpointConnection,
    )


def _parsed(body: str) -> JSON | None:
    try:
        return JSON(json.loads(body))
    except ValueError:
        return None
