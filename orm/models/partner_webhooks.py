"""Partner webhooks: the endpoints an organization registers, and each delivery to them.

Deliveries are an outbox: written in the transaction that records the event, claimed by a
dispatcher in any replica (core/jobs.py), retried with backoff until they succeed or give up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from tortoise import fields

from orm.models.base import TimestampedModel, nullable_text_field

if TYPE_CHECKING:
    from orm.models.organizations import Organization


class WebhookEndpoint(TimestampedModel):
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="webhook_endpoints", on_delete=fields.CASCADE
    )
    organization_id: UUID
    url = fields.CharField(max_length=2048)
    description = fields.CharField(max_length=500, default="", db_default="")
    # The event types it receives (core.call_events.CallEventType values, and "ping").
    event_types: fields.JSONField[list[str]] = fields.JSONField(default=list)
    is_enabled = fields.BooleanField(default=True, db_default=True)
    # Why it is off: "manual" (someone switched it off) or "failing" (deliveries kept
    # failing for the whole retry window); null while enabled.
    disabled_reason = fields.CharField(max_length=16, null=True)
    # The signing secret ("whsec_..."), sealed to this row; shown once, at creation or
    # rotation. During a rotation's overlap the previous one signs too, until it expires.
    signing_secret_sealed = fields.TextField()
    previous_signing_secret_sealed = nullable_text_field()
    previous_secret_expires_at = fields.DatetimeField(null=True)
    # At most this many deliveries to it in flight at once, over every dispatcher.
    max_concurrency = fields.IntField(default=5, db_default=5)

    class Meta:
        table = "webhook_endpoints"
        # Every recorded call event looks up its organization's enabled endpoints.
        indexes = (("organization_id", "is_enabled"),)


class WebhookDelivery(TimestampedModel):
    organization: fields.ForeignKeyRelation[Organization] = fields.ForeignKeyField(
        "models.Organization", related_name="webhook_deliveries", on_delete=fields.CASCADE
    )
    organization_id: UUID
    endpoint: fields.ForeignKeyRelation[WebhookEndpoint] = fields.ForeignKeyField(
        "models.WebhookEndpoint", related_name="deliveries", on_delete=fields.CASCADE
    )
    endpoint_id: UUID
    # The Standard Webhooks message id (`webhook-id`): the event's id, the same on every
    # attempt, so a partner de-duplicates retries.
    message_id = fields.CharField(max_length=64)
    event_type = fields.CharField(max_length=40)
    # The exact body sent on every attempt (signed as is).
    body = fields.TextField()
    # pending -> succeeded | failed (gave up after the retry window)
    status = fields.CharField(max_length=16, default="pending", db_default="pending", db_index=True)
    attempts = fields.IntField(default=0, db_default=0)
    next_attempt_at = fields.DatetimeField(db_index=True)
    claimed_until = fields.DatetimeField(null=True)
    last_attempt_at = fields.DatetimeField(null=True)
    last_response_status = fields.IntField(null=True)
    last_latency_ms = fields.IntField(null=True)
    last_error = fields.CharField(max_length=300, null=True)
    delivered_at = fields.DatetimeField(null=True)

    class Meta:
        table = "webhook_deliveries"
        unique_together = (("endpoint", "message_id"),)
        # An endpoint's pending deliveries in the order the dispatcher claims them (and the
        # API's lists by endpoint and status); and its deliveries holding a claim, which the
        # dispatcher counts under the endpoint's cap (`claimed_until > now`: NULLs, the
        # unclaimed, are outside the range). Each a range of one index, however long the
        # endpoint's backlog (docs/capacity.md).
        indexes = (
            ("endpoint_id", "status", "next_attempt_at"),
            ("endpoint_id", "claimed_until"),
        )
