"""The Standard Webhooks headers of one attempt: id, timestamp and signature(s).

`webhook-signature` is `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">` made by the
`standardwebhooks` library with the endpoint's current secret; while a rotation's overlap
runs, the previous secret signs too and both signatures are sent, space-separated, so a
partner still verifying with the old secret accepts the delivery
(https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md).
"""

from __future__ import annotations

import logging
from datetime import datetime

from standardwebhooks import Webhook

from core.partner_webhooks.signing_secrets import (
    PREVIOUS_COLUMN,
    SigningSecretError,
    open_secret,
)
from core.settings import Settings
from orm.models import WebhookEndpoint

log = logging.getLogger(__name__)

USER_AGENT = "VoiceAgents-Webhooks/1"


def signing_secrets(endpoint: WebhookEndpoint, settings: Settings, now: datetime) -> list[str]:
    """The secrets that sign now: the current one, then the previous one during its overlap.
    Raises SigningSecretError when the current one does not open here."""
    secrets = [
        open_secret(
            endpoint.signing_secret_sealed,
            endpoint_id=endpoint.id,
            organization_id=endpoint.organization_id,
            settings=settings,
        )
    ]
    expires = endpoint.previous_secret_expires_at
    if endpoint.previous_signing_secret_sealed and expires is not None and expires > now:
        try:
            secrets.append(
                open_secret(
                    endpoint.previous_signing_secret_sealed,
                    endpoint_id=endpoint.id,
                    organization_id=endpoint.organization_id,
                    settings=settings,
                    column=PREVIOUS_COLUMN,
                )
            )
        except SigningSecretError:
            # Its key was retired meanwhile: the current secret alone still signs.
            log.warning(
                "webhook endpoint's previous signing secret does not open; signing without it",
                extra={"webhook_endpoint_id": str(endpoint.id)},
            )
    return secrets


def headers(*, message_id: str, body: str, secrets: list[str], at: datetime) -> dict[str, str]:
    """What one attempt sends besides its body; `at` is the attempt's time."""
    signatures = [Webhook(secret).sign(message_id, at, body) for secret in secrets]
    return {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": " ".join(signatures),
    }
