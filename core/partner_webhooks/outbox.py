"""The outbox of partner webhooks: deliveries written as rows, which the dispatcher sends.

A delivery row holds the exact body every attempt sends (the Standard Webhooks envelope:
`{"type", "id", "timestamp", "organizationId", "data"}`, compact JSON) and is due at once;
the dispatcher claims due rows in any replica (core/jobs.py) and signs each attempt.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from core import global_ids
from core.call_events import CallEventType
from core.events import Event
from core.partner_webhooks import payloads
from core.partner_webhooks.states import PING_EVENT_TYPE, DeliveryStatus
from orm.models import Call, WebhookDelivery, WebhookEndpoint


def envelope(
    *,
    event_type: str,
    event_id: str,
    occurred_at: datetime,
    organization_id: uuid.UUID,
    data: dict[str, Any],
) -> str:
    """The body partners receive: compact JSON, UTF-8, the same on every attempt."""
    return json.dumps(
        {
            "type": event_type,
            "id": event_id,
            "timestamp": occurred_at.astimezone(UTC).isoformat(),
            "organizationId": global_ids.encode("Organization", organization_id),
            "data": data,
        },
        separators=(",", ":"),
        ensure_ascii=False,
    )


async def enqueue_ping(endpoint: WebhookEndpoint) -> WebhookDelivery:
    """A test delivery of type `ping` to this endpoint alone, due now."""
    now = datetime.now(UTC)
    message_id = str(uuid.uuid4())
    body = envelope(
        event_type=PING_EVENT_TYPE,
        event_id=message_id,
        occurred_at=now,
        organization_id=endpoint.organization_id,
        data={"endpointId": global_ids.encode("WebhookEndpoint", endpoint.id)},
    )
    return await WebhookDelivery.create(
        organization_id=endpoint.organization_id,
        endpoint_id=endpoint.id,
        message_id=message_id,
        event_type=PING_EVENT_TYPE,
        body=body,
        status=DeliveryStatus.PENDING.value,
        next_attempt_at=now,
    )


async def enqueue_for_event(call: Call, event: Event) -> int:
    """Inside the transaction that records `event` on `call`: one delivery, due now, to each
    enabled endpoint of the organization that receives the event's type; returns how many.

    One SELECT (the organization's enabled endpoints) when nobody listens; the body, and for
    `call.ended` its report, are built only for someone."""
    endpoints = await WebhookEndpoint.filter(
        organization_id=event.organization_id, is_enabled=True
    ).only("id", "event_types")
    receivers = [endpoint for endpoint in endpoints if event.type.value in endpoint.event_types]
    if not receivers:
        return 0
    data = payloads.event_data(event)
    if event.type is CallEventType.ENDED:
        data["report"] = await payloads.end_of_call_report(call)
    body = envelope(
        event_type=event.type.value,
        event_id=str(event.id),
        occurred_at=event.occurred_at,
        organization_id=event.organization_id,
        data=data,
    )
    await WebhookDelivery.bulk_create(
        [
            WebhookDelivery(
                id=uuid.uuid4(),
                organization_id=event.organization_id,
                endpoint_id=endpoint.id,
                message_id=str(event.id),
                event_type=event.type.value,
                body=body,
                status=DeliveryStatus.PENDING.value,
                next_attempt_at=event.occurred_at,
            )
            for endpoint in receivers
        ]
    )
    return len(receivers)
