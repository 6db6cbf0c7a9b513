"""The states of endpoints and deliveries, as stored in `webhook_endpoints` and
`webhook_deliveries` (orm/models/partner_webhooks.py). Never rename a value: rows keep them."""

from __future__ import annotations

import enum

# The `type` of a test delivery (`webhookEndpointTest`); every other type is a CallEventType.
PING_EVENT_TYPE = "ping"


class DeliveryStatus(enum.StrEnum):
    """pending -> succeeded | failed; a retry puts a delivery back to pending."""

    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class DisabledReason(enum.StrEnum):
    """Why an endpoint is off (null while it is on)."""

    # Someone switched it off (`webhookEndpointUpdate` with `enabled: false`).
    MANUAL = "manual"
    # Its deliveries kept failing for the whole retry window; the dispatcher switched it off.
    FAILING = "failing"
