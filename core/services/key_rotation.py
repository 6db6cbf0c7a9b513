"""Key rotation: every column that holds sealed values, re-sealed with the active key.

A new sealed column is added here, with the function that builds its rows'
associated data; core/security/key_rotation.py does the re-sealing.
"""

from __future__ import annotations

from core.partner_webhooks import signing_secrets
from core.security.key_rotation import RotationReport, SealedColumn, reseal_all
from core.services.agent_tools import revocation_seal_context, seal_context
from core.services.custom_functions import secret_headers_context
from core.settings import Settings
from orm.models import AgentTool, CustomFunction, TokenRevocation, WebhookEndpoint

SEALED_COLUMNS = (
    SealedColumn(AgentTool, "sensitive_config", seal_context),
    SealedColumn(CustomFunction, "sealed_secret_headers", secret_headers_context),
    # Grants queued for revocation (or given up on) still hold their tokens sealed.
    SealedColumn(TokenRevocation, "sealed_tokens", revocation_seal_context),
    # Partner endpoints' signing secrets, in their own tier (the API's dispatcher opens them).
    SealedColumn(
        WebhookEndpoint,
        signing_secrets.CURRENT_COLUMN,
        signing_secrets.current_secret_context,
        tier=signing_secrets.TIER,
    ),
    SealedColumn(
        WebhookEndpoint,
        signing_secrets.PREVIOUS_COLUMN,
        signing_secrets.previous_secret_context,
        tier=signing_secrets.TIER,
    ),
)


async def rotate(*, settings: Settings) -> RotationReport:
    """Re-seal every sealed value under an older key; unreadable ones are counted, not touched."""
    return await reseal_all(columns=SEALED_COLUMNS, settings=settings)
