"""Re-sealing sealed values with the active key (`voiceagents keys rotate`).

This module knows how to re-seal a column, not which columns hold sealed
values nor how their rows bind associated data: the services that seal them
say so (core/services/key_rotation.py lists them), so security depends on no
service.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from tortoise.models import Model

from core.security.derived_sealing import derived_keys
from core.security.sealing import SealContext, key_id_of, seal
from core.security.unsealing import UnsealError, unseal
from core.settings import Settings, parse_encryption_keys


@dataclass(frozen=True)
class SealedColumn:
    """A column of sealed values, and the associated data each row's value is sealed with."""

    model: type[Model]
    column: str
    context: Callable[[Any], SealContext]
    # Sealed with a derived tier's keys (core/security/derived_sealing.py), not with
    # ENCRYPTION_KEYS themselves; those rotate with ENCRYPTION_KEYS all the same.
    tier: bytes | None = None


@dataclass
class RotationReport:
    resealed: int = 0
    already_current: int = 0
    unreadable: int = 0


async def reseal_all(*, columns: Iterable[SealedColumn], settings: Settings) -> RotationReport:
    """Re-seal values sealed under an older key; unreadable ones are counted, not touched."""
    encryption_keys = parse_encryption_keys(settings.encryption_keys.get_secret_value())
    active = next(iter(encryption_keys))
    report = RotationReport()
    for sealed_column in columns:
        column = sealed_column.column
        keys = (
            derived_keys(encryption_keys, tier=sealed_column.tier)
            if sealed_column.tier is not None
            else encryption_keys
        )
        rows = await sealed_column.model.exclude(**{f"{column}__isnull": True}).exclude(
            **{column: ""}
        )
        for row in rows:
            await _reseal(row, column, sealed_column.context(row), keys, active, report)
    return report


async def _reseal(
    row: Model,
    column: str,
    context: SealContext,
    keys: dict[str, bytes],
    active: str,
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
        .filter(id=row.pk, **{column: sealed})
        .update(**{column: seal(value, context=context, keys=keys)})
    )
    report.resealed += changed
