"""Switching off an endpoint that failed for the whole retry window, and telling its admins.

A delivery gives up after its last scheduled attempt, about three days after its first
(core/partner_webhooks/schedule.py). If no delivery to the endpoint succeeded since that
delivery was written, the endpoint failed every attempt for the whole window: it is
disabled (`disabled_reason` "failing", no new deliveries are written for it) and the people
who manage the organization's webhooks get a mail. Enabling it again
(`webhookEndpointUpdate`) starts afresh. A delivery retried by hand that fails again switches
nothing off: it says nothing about the endpoint's last three days.
"""

from __future__ import annotations

import logging
from datetime import datetime
from urllib.parse import urlsplit

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from core.email import outbox as mail_outbox
from core.email.templates import humanize_seconds
from core.partner_webhooks.schedule import retry_window
from core.partner_webhooks.states import DisabledReason
from core.rbac import BuiltinRole, Permission
from core.settings import Settings
from orm.models import Membership, Organization, WebhookDelivery, WebhookEndpoint
from orm.queries import flat_values

log = logging.getLogger(__name__)


async def failed_throughout(delivery: WebhookDelivery) -> bool:
    """Whether nothing reached the delivery's endpoint since the delivery was written."""
    succeeded = await WebhookDelivery.filter(
        endpoint_id=delivery.endpoint_id, delivered_at__gte=delivery.created_at
    ).exists()
    return not succeeded


async def disable(
    delivery: WebhookDelivery, *, last_error: str, settings: Settings, now: datetime
) -> bool:
    """Switch the delivery's endpoint off as failing and mail its admins, once (False when
    it was off already)."""
    async with in_transaction():
        switched = await WebhookEndpoint.filter(id=delivery.endpoint_id, is_enabled=True).update(
            is_enabled=False, disabled_reason=DisabledReason.FAILING.value, updated_at=now
        )
        if not switched:
            return False
        endpoint = await WebhookEndpoint.get(id=delivery.endpoint_id)
        organization = await Organization.get(id=endpoint.organization_id)
        for address in await webhook_admins(endpoint.organization_id):
            await mail_outbox.enqueue(
                to_address=address,
                template="webhook_endpoint_disabled",
                values={
                    "organization": organization.name,
                    "endpoint": shown_endpoint(endpoint),
                    "window": humanize_seconds(round(retry_window().total_seconds() / 3600) * 3600),
                    "last_error": last_error,
                    "link": f"{settings.dashboard_url.rstrip('/')}/webhooks",
                },
            )
    log.warning(
        "webhook endpoint disabled: every delivery failed for the retry window",
        extra={
            "organization_id": str(endpoint.organization_id),
            "webhook_endpoint_id": str(endpoint.id),
        },
    )
    return True


async def webhook_admins(organization_id: object) -> list[str]:
    """Who hears about the organization's webhooks: its admins, and members whose role may
    manage webhooks (built-in or custom: role_permissions holds both)."""
    rows = await flat_values(
        Membership.filter(
            Q(role__key=BuiltinRole.ORG_ADMIN.value)
            | Q(role__permissions__permission=Permission.WEBHOOK_MANAGE.value),
            organization_id=organization_id,
            user__is_active=True,
        ),
        "user__email",
    )
    return sorted(set(rows))


def shown_endpoint(endpoint: WebhookEndpoint) -> str:
    """The endpoint as a mail names it: its description, or its address without the query
    (a partner may have put a token there)."""
    if endpoint.description:
        return endpoint.description
    parts = urlsplit(endpoint.url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"
