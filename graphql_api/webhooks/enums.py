"""The closed sets of partner webhooks, as GraphQL enums over the core enums."""

from __future__ import annotations

from core.partner_webhooks.states import DeliveryStatus, DisabledReason
from graphql_api.descriptions import described_enum

WebhookDeliveryStatus = DeliveryStatus
described_enum(
    WebhookDeliveryStatus,
    name="WebhookDeliveryStatus",
    description="Where a delivery stands: pending until the endpoint answers 2xx (succeeded) "
    "or the retries run out (failed).",
    values={
        DeliveryStatus.PENDING: "Not delivered yet: due at `nextAttemptAt` (retries back off "
        "over about three days).",
        DeliveryStatus.SUCCEEDED: "The endpoint answered with a 2xx status.",
        DeliveryStatus.FAILED: "Every attempt failed; `webhookDeliveryRetry` sends it again.",
    },
)

WebhookEndpointDisabledReason = DisabledReason
described_enum(
    WebhookEndpointDisabledReason,
    name="WebhookEndpointDisabledReason",
    description="Why an endpoint receives nothing.",
    values={
        DisabledReason.MANUAL: "Someone switched it off (`webhookEndpointUpdate` with "
        "`enabled: false`).",
        DisabledReason.FAILING: "Its deliveries kept failing for the whole retry window, so "
        "the platform switched it off. Enabling it again clears this.",
    },
)
