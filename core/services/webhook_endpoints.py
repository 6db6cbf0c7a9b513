"""An organization's partner webhook endpoints: register, change, delete, rotate the secret,
send a test, retry a delivery (docs/webhooks.md).

An endpoint's signing secret is returned once, by `create` and `rotate_secret`, and kept
sealed to its row (core/partner_webhooks/signing_secrets.py). A rotation keeps the previous
secret signing beside the new one for an overlap (24 hours unless told), so a partner can
switch without losing a delivery. URLs are held to core/partner_webhooks/destinations.py:
https (http only to this machine in development), no credentials, and the SSRF guard of
custom HTTP functions.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from tortoise.expressions import Q
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from core.call_events import CallEventType
from core.errors import DescribedEnum, NotFound, ServiceError
from core.inputs import UNSET, Changes, Invalid, Maybe, Rule, clean, columns, given
from core.partner_webhooks import outbox, signing_secrets
from core.partner_webhooks.destinations import (
    MAX_URL_LENGTH,
    allowed_networks,
    allows_plain_http,
)
from core.partner_webhooks.states import DeliveryStatus, DisabledReason
from core.settings import Settings
from core.tools.http_guard import BlockedDestination, check_destination
from orm.models import Organization, WebhookDelivery, WebhookEndpoint

log = logging.getLogger(__name__)

MAX_DESCRIPTION_LENGTH = 500
# How long a rotated-out secret keeps signing beside the new one (Svix keeps it 24 hours).
DEFAULT_OVERLAP_HOURS = 24
MAX_OVERLAP_HOURS = 7 * 24
# How long registering waits for DNS to judge the host (every delivery judges it again).
_DESTINATION_RESOLVE_SECONDS = 2.0


class WebhookErrorCode(DescribedEnum):
    INVALID_URL = (
        "invalid_url",
        f"`url` is not an absolute https URL of at most {MAX_URL_LENGTH} characters without "
        "credentials (`user:password@`). Plain http is accepted only to a loopback host "
        "(`localhost`, 127.0.0.1, ::1) on a development installation.",
    )
    DESTINATION_NOT_ALLOWED = (
        "destination_not_allowed",
        "`url` points at a private, loopback, link-local or internal host (or a name that "
        "resolves to one). The platform's operator can admit named hosts or networks "
        "(WEBHOOK_ALLOWED_NETWORKS).",
    )
    INVALID_EVENT_TYPES = (
        "invalid_event_types",
        "`eventTypes` is empty or names an unknown event type: give at least one `CallEventType`.",
    )
    INVALID_DESCRIPTION = (
        "invalid_description",
        f"`description` is longer than {MAX_DESCRIPTION_LENGTH} characters.",
    )
    TOO_MANY_ENDPOINTS = (
        "too_many_endpoints",
        "The organization has as many endpoints as the platform allows; delete one first.",
    )
    INVALID_OVERLAP = (
        "invalid_overlap",
        f"`overlapHours` is not between 0 and {MAX_OVERLAP_HOURS} (7 days).",
    )
    ENDPOINT_DISABLED = (
        "endpoint_disabled",
        "The endpoint is disabled and sends nothing; enable it first (`webhookEndpointUpdate` "
        "with `enabled: true`).",
    )
    DELIVERY_IN_PROGRESS = (
        "delivery_in_progress",
        "The delivery is being sent right now; its outcome shows shortly, retry after that.",
    )


@dataclass(frozen=True, kw_only=True)
class EndpointCreate:
    """A new endpoint. Its signing secret is made by `create`, not given."""

    url: str
    event_types: list[CallEventType]
    description: str = ""
    is_enabled: bool = True


@dataclass(frozen=True, kw_only=True)
class EndpointChanges(Changes):
    """Changes to an endpoint: the fields given change, the UNSET ones stay."""

    url: Maybe[str] = UNSET
    event_types: Maybe[list[CallEventType]] = UNSET
    description: Maybe[str] = UNSET
    is_enabled: Maybe[bool] = UNSET


@dataclass(frozen=True)
class IssuedSecret:
    """An endpoint and the signing secret just made for it: shown once, never again."""

    endpoint: WebhookEndpoint
    signing_secret: str


# --- reading ---------------------------------------------------------------------------------


def get_all(*, organization_id: uuid.UUID) -> QuerySet[WebhookEndpoint]:
    """The organization's endpoints, newest first (a queryset, for pagination)."""
    return WebhookEndpoint.filter(organization_id=organization_id).order_by("-created_at", "-id")


async def get(*, organization_id: uuid.UUID, endpoint_id: uuid.UUID) -> WebhookEndpoint:
    """One endpoint of this organization."""
    endpoint = await WebhookEndpoint.get_or_none(id=endpoint_id, organization_id=organization_id)
    if endpoint is None:
        raise NotFound("WebhookEndpoint")
    return endpoint


def get_deliveries(
    *, endpoint: WebhookEndpoint, statuses: list[DeliveryStatus] | None = None
) -> QuerySet[WebhookDelivery]:
    """The endpoint's deliveries, newest first, optionally only in these statuses."""
    query = WebhookDelivery.filter(
        endpoint_id=endpoint.id, organization_id=endpoint.organization_id
    )
    if statuses:
        query = query.filter(status__in=[status.value for status in statuses])
    return query.order_by("-created_at", "-id")


def secret_overlap_ends_at(
    endpoint: WebhookEndpoint, now: datetime | None = None
) -> datetime | None:
    """When the previous secret stops signing; None when no rotation overlap is running."""
    expires = endpoint.previous_secret_expires_at
    if endpoint.previous_signing_secret_sealed is None or expires is None:
        return None
    return expires if expires > (now or datetime.now(UTC)) else None


# --- changing --------------------------------------------------------------------------------


async def create(
    *, organization: Organization, endpoint: EndpointCreate, settings: Settings
) -> IssuedSecret:
    """Register an endpoint; its new signing secret is returned once."""
    cleaned = await clean(given(endpoint), _rules(settings))
    endpoint_id = uuid.uuid4()
    secret = signing_secrets.new_secret()
    sealed = signing_secrets.seal_secret(
        secret, endpoint_id=endpoint_id, organization_id=organization.id, settings=settings
    )
    async with in_transaction():
        # Creations in one organization queue here (FOR UPDATE on PostgreSQL; SQLite has one
        # writer), so two at once cannot both take the last free place.
        await Organization.filter(id=organization.id).select_for_update().first()
        limit = settings.webhook_max_endpoints_per_organization
        if await WebhookEndpoint.filter(organization_id=organization.id).count() >= limit:
            raise ServiceError.single(
                WebhookErrorCode.TOO_MANY_ENDPOINTS,
                f"An organization may have at most {limit} endpoints; delete one first.",
            )
        row = await WebhookEndpoint.create(
            id=endpoint_id,
            organization_id=organization.id,
            signing_secret_sealed=sealed,
            disabled_reason=None if cleaned["is_enabled"] else DisabledReason.MANUAL.value,
            **columns(WebhookEndpoint, cleaned),
        )
    log.info(
        "webhook endpoint registered",
        extra={"organization_id": str(organization.id), "webhook_endpoint_id": str(row.id)},
    )
    return IssuedSecret(row, secret)


async def update(
    *, endpoint: WebhookEndpoint, changes: EndpointChanges, settings: Settings
) -> WebhookEndpoint:
    """Change the endpoint's fields that are given. Enabling it clears why it was off
    (switched off, or given up on after failing); disabling it records that someone did."""
    cleaned = await clean(changes.changes(), _rules(settings))
    if not cleaned:
        return endpoint
    values = columns(WebhookEndpoint, cleaned)
    if "is_enabled" in values and values["is_enabled"] != endpoint.is_enabled:
        values["disabled_reason"] = None if values["is_enabled"] else DisabledReason.MANUAL.value
    endpoint.update_from_dict(values)
    await endpoint.save()
    return endpoint


async def delete(*, endpoint: WebhookEndpoint) -> None:
    """Delete the endpoint and every delivery to it; nothing more is sent to it."""
    await endpoint.delete()


async def rotate_secret(
    *,
    endpoint: WebhookEndpoint,
    settings: Settings,
    overlap_hours: int = DEFAULT_OVERLAP_HOURS,
) -> IssuedSecret:
    """A new signing secret, returned once. The current one keeps signing beside it for
    `overlap_hours` (0: it stops at once, for a secret that leaked); an earlier previous
    secret stops now."""
    if not 0 <= overlap_hours <= MAX_OVERLAP_HOURS:
        raise ServiceError.single(
            WebhookErrorCode.INVALID_OVERLAP,
            f"Keep the old secret for 0 to {MAX_OVERLAP_HOURS} hours.",
            "overlap_hours",
        )
    previous = _current_secret(endpoint, settings) if overlap_hours else None
    secret = signing_secrets.new_secret()
    endpoint.signing_secret_sealed = _sealed(endpoint, secret, settings)
    if previous is None:
        endpoint.previous_signing_secret_sealed = None
        endpoint.previous_secret_expires_at = None
    else:
        # Sealed again: the column is part of what a sealed value is bound to.
        endpoint.previous_signing_secret_sealed = _sealed(
            endpoint, previous, settings, column=signing_secrets.PREVIOUS_COLUMN
        )
        endpoint.previous_secret_expires_at = datetime.now(UTC) + timedelta(hours=overlap_hours)
    await endpoint.save(
        update_fields=[
            "signing_secret_sealed",
            "previous_signing_secret_sealed",
            "previous_secret_expires_at",
            "updated_at",
        ]
    )
    log.info(
        "webhook endpoint signing secret rotated",
        extra={"webhook_endpoint_id": str(endpoint.id), "overlap_hours": overlap_hours},
    )
    return IssuedSecret(endpoint, secret)


async def send_test(*, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """Queue a `ping` to the endpoint; the dispatcher sends it on its next pass."""
    _ensure_enabled(endpoint)
    return await outbox.enqueue_ping(endpoint)


async def get_delivery(*, organization_id: uuid.UUID, delivery_id: uuid.UUID) -> WebhookDelivery:
    """One delivery of this organization."""
    delivery = await WebhookDelivery.get_or_none(id=delivery_id, organization_id=organization_id)
    if delivery is None:
        raise NotFound("WebhookDelivery")
    return delivery


async def retry_delivery(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again on the dispatcher's next pass, whatever its status: a failed
    or pending one now rather than at its scheduled time, a succeeded one once more (the
    same `webhook-id`, so a partner that keeps ids sees a resend, not a new event)."""
    endpoint = await WebhookEndpoint.get(id=delivery.endpoint_id)
    _ensure_enabled(endpoint)
    now = datetime.now(UTC)
    # Not while a dispatcher holds it: its outcome, written after, would undo the retry.
    free = Q(claimed_until=None) | Q(claimed_until__lt=now)
    updated = await WebhookDelivery.filter(free, id=delivery.id).update(
        status=DeliveryStatus.PENDING.value, next_attempt_at=now, delivered_at=None, updated_at=now
    )
    if not updated:
        raise ServiceError.single(
            WebhookErrorCode.DELIVERY_IN_PROGRESS,
            "It is being sent right now; retry once its outcome shows.",
        )
    await delivery.refresh_from_db()
    return delivery


# --- rules -----------------------------------------------------------------------------------


def _rules(settings: Settings) -> dict[str, Rule]:
    async def url(value: Any) -> str:
        return await _url(value, settings)

    return {
        "url": url,
        "event_types": _event_types,
        "description": _description,
        "is_enabled": bool,
    }


async def _url(value: Any, settings: Settings) -> str:
    url = value.strip() if isinstance(value, str) else ""
    invalid = WebhookErrorCode.INVALID_URL
    if len(url) > MAX_URL_LENGTH:
        raise Invalid(f"Keep the URL within {MAX_URL_LENGTH} characters.", invalid)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise Invalid("Give an https URL, e.g. https://example.com/webhooks.", invalid) from None
    host = parts.hostname
    if parts.scheme not in ("https", "http") or not host:
        raise Invalid("Give an https URL, e.g. https://example.com/webhooks.", invalid)
    if parts.username is not None or parts.password is not None:
        raise Invalid(
            "Leave credentials out of the URL: deliveries are signed, verify the signature.",
            invalid,
        )
    if parts.scheme == "http" and not allows_plain_http(host, settings):
        raise Invalid("Use https (plain http only reaches this machine, in development).", invalid)
    try:
        await check_destination(
            host,
            port or (443 if parts.scheme == "https" else 80),
            allowed=allowed_networks(settings),
            resolve_timeout=_DESTINATION_RESOLVE_SECONDS,
        )
    except BlockedDestination:
        raise Invalid(
            "Webhooks cannot be sent there: the host is private, local or internal.",
            WebhookErrorCode.DESTINATION_NOT_ALLOWED,
        ) from None
    return url


def _event_types(value: Any) -> list[str]:
    # Stored in the enum's order, once each.
    try:
        wanted = {CallEventType(item) for item in value or []}
    except ValueError:
        raise Invalid(
            "Choose event types from CallEventType.", WebhookErrorCode.INVALID_EVENT_TYPES
        ) from None
    if not wanted:
        raise Invalid("Choose at least one event type.", WebhookErrorCode.INVALID_EVENT_TYPES)
    return [member.value for member in CallEventType if member in wanted]


def _description(value: Any) -> str:
    description = (value or "").strip()
    if len(description) > MAX_DESCRIPTION_LENGTH:
        raise Invalid(
            f"Keep the description within {MAX_DESCRIPTION_LENGTH} characters.",
            WebhookErrorCode.INVALID_DESCRIPTION,
        )
    return description


def _ensure_enabled(endpoint: WebhookEndpoint) -> None:
    if not endpoint.is_enabled:
        raise ServiceError.single(
            WebhookErrorCode.ENDPOINT_DISABLED, "The endpoint is disabled; enable it first."
        )


def _sealed(
    endpoint: WebhookEndpoint,
    secret: str,
    settings: Settings,
    *,
    column: str = signing_secrets.CURRENT_COLUMN,
) -> str:
    return signing_secrets.seal_secret(
        secret,
        endpoint_id=endpoint.id,
        organization_id=endpoint.organization_id,
        settings=settings,
        column=column,
    )


def _current_secret(endpoint: WebhookEndpoint, settings: Settings) -> str | None:
    """The secret signing now, to keep through the overlap; None if it no longer opens (a
    retired key), in which case the new secret signs alone at once."""
    try:
        return signing_secrets.open_secret(
            endpoint.signing_secret_sealed,
            endpoint_id=endpoint.id,
            organization_id=endpoint.organization_id,
            settings=settings,
        )
    except signing_secrets.SigningSecretError:
        log.warning(
            "webhook endpoint's current signing secret does not open; rotating without overlap",
            extra={"webhook_endpoint_id": str(endpoint.id)},
        )
        return None
