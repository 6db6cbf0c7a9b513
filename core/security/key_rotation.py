"""`voiceagents keys rotate`: re-seal every sealed value with the active key."""

from __future__ import annotations

from dataclasses import dataclass

from core.security.sealing import SealContext, key_id_of, seal
from core.security.unsealing import UnsealError, unseal
from core.services.agent_tools import revocation_seal_context, seal_context
from core.services.custom_functions import secret_headers_context
from core.settings import Settings, parse_encryption_keys
from orm.models import AgentTool, CustomFunction, TokenRevocation


@dataclass
class RotationReport:
    resealed: int = 0
    already_current: int = 0
    unreadable: int = 0


async def rotate(*, settings: Settings) -> RotationReport:
    """Re-seal values sealed under an older key; unreadable ones are counted, not touched."""
    keys = parse_encryption_keys(settings.encryption_keys.get_secret_value())
    active = next(iter(keys))
    report = RotationReport()
    for row in await AgentTool.exclude(sensitive_config=None):
        await _reseal(row, "sensitive_config", seal_context(row), keys, active, report)
    for function in await CustomFunction.exclude(sealed_secret_headers=None):
        await _reseal(
            function,
            "sealed_secret_headers",
            secret_headers_context(function),
            keys,
            active,
            report,
        )
    # Grants queued for revocation (or given up on) still hold their tokens sealed.
    for revocation in await TokenRevocation.exclude(sealed_tokens=""):
        await _reseal(
            revocation,
            "sealed_tokens",
            revocation_seal_context(revocation),
            keys,
            active,
            report,
        )
    return report


async def _reseal(
    row,
    column: str,
    context: SealContext,
    keys: dict[str, bytes],
    active: str,  # type: ignore[no-untyped-def]
    report: RotationReport,
) -> None:
    sealed = getattr(row, column)
    if not sealed:
        return
    if key_id_of(sealed) == active:
        report.already_current += 1
        return
    try:
        value = unseal(sealed, context=context, keys=keys)
    except UnsealError:
        report.unreadable += 1
        return
    # Compare-and-set: a value changed meanwhile (e.g. a token refresh) is left for the next run.
    changed = (
        await type(row)
        .filter(id=row.id, **{column: sealed})
        .update(**{column: seal(value, context=context, keys=keys)})
    )
    report.resealed += changed
