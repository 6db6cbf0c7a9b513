"""An endpoint's signing secrets: made, sealed to the endpoint's row, and opened to sign.

A secret is `whsec_<base64 of 32 random bytes>`, the form the Standard Webhooks libraries
(`standardwebhooks`, `svix`) take as is. It is shown once, when it is made; the row keeps it
sealed with the partner-webhook tier's keys (core/security/derived_sealing.py), bound to the
endpoint, its organization and the column, so the dispatcher in any API replica can sign
with it and a sealed value copied to another row opens nowhere.
"""

from __future__ import annotations

import base64
import os
import uuid

from core.security.derived_sealing import DerivedSealError, derived_keys, open_derived
from core.security.sealing import SealContext, seal
from core.settings import Settings, parse_encryption_keys
from orm.models import WebhookEndpoint

SECRET_PREFIX = "whsec_"
_SECRET_BYTES = 32
TIER = b"voiceagents partner webhook signing secrets"
_TABLE = "webhook_endpoints"
CURRENT_COLUMN = "signing_secret_sealed"
PREVIOUS_COLUMN = "previous_signing_secret_sealed"


class SigningSecretError(Exception):
    """A sealed signing secret does not open here (another row, a retired key, tampered)."""


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(os.urandom(_SECRET_BYTES)).decode()


def _keys(settings: Settings) -> dict[str, bytes]:
    return derived_keys(
        parse_encryption_keys(settings.encryption_keys.get_secret_value()), tier=TIER
    )


def _context(endpoint_id: uuid.UUID, organization_id: uuid.UUID, column: str) -> SealContext:
    return SealContext(
        table=_TABLE, row_id=endpoint_id, organization_id=organization_id, column=column
    )


def current_secret_context(endpoint: WebhookEndpoint) -> SealContext:
    """What the endpoint's current secret is sealed to (key rotation re-seals it)."""
    return _context(endpoint.id, endpoint.organization_id, CURRENT_COLUMN)


def previous_secret_context(endpoint: WebhookEndpoint) -> SealContext:
    """What the secret of a rotation's overlap is sealed to."""
    return _context(endpoint.id, endpoint.organization_id, PREVIOUS_COLUMN)


def seal_secret(
    secret: str,
    *,
    endpoint_id: uuid.UUID,
    organization_id: uuid.UUID,
    settings: Settings,
    column: str = CURRENT_COLUMN,
) -> str:
    context = _context(endpoint_id, organization_id, column)
    return seal({"secret": secret}, context=context, keys=_keys(settings))


def open_secret(
    sealed: str,
    *,
    endpoint_id: uuid.UUID,
    organization_id: uuid.UUID,
    settings: Settings,
    column: str = CURRENT_COLUMN,
) -> str:
    context = _context(endpoint_id, organization_id, column)
    try:
        value = open_derived(sealed, context=context, keys=_keys(settings))
    except DerivedSealError as error:
        raise SigningSecretError(str(error)) from error
    secret = value.get("secret") if isinstance(value, dict) else None
    if not isinstance(secret, str) or not secret.startswith(SECRET_PREFIX):
        raise SigningSecretError("the sealed value is not a signing secret")
    return secret
