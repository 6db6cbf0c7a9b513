from __future__ import annotations

import strawberry

from core.services.webhook_endpoints import WebhookErrorCode
from graphql_api.descriptions import error_code_enum
from graphql_api.errors import CODE_DESCRIPTION, PAYLOAD_ERROR_DESCRIPTION, Payload, PayloadError
from graphql_api.webhooks.types import WebhookDeliveryType, WebhookEndpointType

error_code_enum(
    WebhookErrorCode,
    name="WebhookErrorCode",
    description="Why a webhook endpoint or delivery mutation refused its input.",
)

URL_DESCRIPTION = (
    "Where to POST events: an https URL of at most 2,048 characters, without credentials; "
    "not a private, loopback or internal host (plain http to a loopback host is accepted on "
    "a development installation)."
)
EVENT_TYPES_DESCRIPTION = "The events to receive: at least one."
DESCRIPTION_DESCRIPTION = "What it is for, up to 500 characters."
ENABLED_DESCRIPTION = "Whether events are sent to it."


@strawberry.type(description=PAYLOAD_ERROR_DESCRIPTION)
class WebhookError(PayloadError):
    code: WebhookErrorCode = strawberry.field(description=CODE_DESCRIPTION)


@strawberry.type(description="The endpoint changed or deleted.")
class WebhookEndpointPayload(Payload[WebhookError]):
    webhook_endpoint: WebhookEndpointType | None = strawberry.field(
        default=None, description="The endpoint as saved (as it was, for a deletion)."
    )


@strawberry.type(description="The endpoint and its new signing secret.")
class WebhookEndpointSecretPayload(Payload[WebhookError]):
    webhook_endpoint: WebhookEndpointType | None = strawberry.field(
        default=None, description="The endpoint as saved."
    )
    signing_secret: str | None = strawberry.field(
        default=None,
        description="The new signing secret (`whsec_...`), for the receiver to verify "
        "signatures with: shown this once, never again. Keep it secret.",
    )


@strawberry.type(description="The delivery queued.")
class WebhookDeliveryPayload(Payload[WebhookError]):
    webhook_delivery: WebhookDeliveryType | None = strawberry.field(
        default=None, description="The delivery, pending: the dispatcher sends it next."
    )
