"""What the endpoint-management tests stand on besides the factories: deliveries as the
dispatcher leaves them, and the API as a production installation runs it."""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

from core.partner_webhooks.outbox import envelope
from core.partner_webhooks.states import DeliveryStatus
from core.settings import Settings
from orm.models import WebhookDelivery, WebhookEndpoint
from tests.support.servers import InProcessApp, asgi_client


async def delivery(
    endpoint: WebhookEndpoint,
    status: DeliveryStatus = DeliveryStatus.PENDING,
    *,
    event_type: str = "call.ended",
    **fields: Any,
) -> WebhookDelivery:
    """A delivery of a call event to `endpoint` in `status`, with the attempts the dispatcher
    would have recorded to get there."""
    now = datetime.now(UTC)
    message_id = str(uuid.uuid4())
    recorded: dict[str, Any] = {}
    if status is DeliveryStatus.SUCCEEDED:
        recorded = {
            "attempts": 1,
            "last_attempt_at": now,
            "last_response_status": 200,
            "last_latency_ms": 42,
            "delivered_at": now,
        }
    elif status is DeliveryStatus.FAILED:
        recorded = {
            "attempts": 8,
            "last_attempt_at": now,
            "last_response_status": 500,
            "last_latency_ms": 17,
            "last_error": "answered 500",
        }
    return await WebhookDelivery.create(
        organization_id=endpoint.organization_id,
        endpoint_id=endpoint.id,
        message_id=message_id,
        event_type=event_type,
        body=envelope(
            event_type=event_type,
            event_id=message_id,
            occurred_at=now,
            organization_id=endpoint.organization_id,
            data={"__typename": "CallEnded", "status": "COMPLETED"},
        ),
        status=status.value,
        next_attempt_at=now + timedelta(hours=1),
        **{**recorded, **fields},
    )


def body_of(row: WebhookDelivery) -> dict[str, Any]:
    body: dict[str, Any] = json.loads(row.body)
    return body


@contextlib.asynccontextmanager
async def production_api(settings: Settings, **overrides: Any) -> AsyncIterator[InProcessApp]:
    """The API as a production installation runs it (the session's database and keys)."""
    async with asgi_client(
        settings.model_copy(update={"environment": "production", **overrides})
    ) as api:
        yield api
