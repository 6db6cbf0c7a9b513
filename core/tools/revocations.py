"""Worker side: revoking OAuth grants the API queued (it cannot unseal them itself)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from core import tenancy
from core.integrations import google_oauth
from core.security.unsealing import UnsealError, unseal
from core.services.agent_tools import revocation_seal_context
from core.settings import Settings, parse_encryption_keys
from orm.models import TokenRevocation

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 6


async def revoke_pending(*, settings: Settings, limit: int = 20) -> int:
    """Revoke due grants; returns how many were handled."""
    keys = parse_encryption_keys(settings.encryption_keys.get_secret_value())
    now = datetime.now(UTC)
    handled = 0
    with tenancy.platform_scope("OAuth revoker: the grants due"):
        due = await TokenRevocation.filter(status="pending", next_attempt_at__lte=now).limit(limit)
    for row in due:
        handled += 1
        # Settling one grant is its organization's work.
        with tenancy.tenant_scope([row.organization_id]):
            await _settle(row, keys=keys, now=now, settings=settings)
    return handled


async def _settle(
    row: TokenRevocation, *, keys: dict[str, bytes], now: datetime, settings: Settings
) -> None:
    try:
        tokens = unseal(row.sealed_tokens, context=revocation_seal_context(row), keys=keys)
        token = tokens.get("refresh_token") or tokens.get("access_token")
        if token and row.provider == "google":
            await google_oauth.revoke(settings=settings, token=str(token))
    except UnsealError as failure:
        await _finish(row, "failed", f"unreadable: {failure}")
        return
    except google_oauth.GoogleUnavailable as failure:
        attempts = row.attempts + 1
        await TokenRevocation.filter(id=row.id).update(
            attempts=attempts,
            last_error=str(failure)[:500],
            status="failed" if attempts >= MAX_ATTEMPTS else "pending",
            next_attempt_at=now + timedelta(minutes=2**attempts),
        )
        return
    await _finish(row, "revoked", None)


async def _finish(row: TokenRevocation, status: str, error: str | None) -> None:
    # The sealed tokens are no longer needed once the grant is settled.
    await TokenRevocation.filter(id=row.id).update(
        status=status, last_error=error, sealed_tokens="", attempts=row.attempts + 1
    )
    if status != "revoked":
        log.warning("token revocation gave up", extra={"revocation_id": str(row.id)})
