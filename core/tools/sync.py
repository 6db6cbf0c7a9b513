"""Upserting the code's tools into platform_tools (idempotent).

`voiceagents tools sync` and the worker's start describe the tools in code
(worker/tools/sync.py) and store them here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tortoise.transactions import in_transaction

from core.tools.catalogue import ToolDefinition
from orm.models import PlatformTool


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)


async def sync_platform_tools(definitions: Mapping[str, ToolDefinition]) -> SyncReport:
    """Upsert every tool by name; a stored tool no longer defined becomes unavailable."""
    report = SyncReport()
    now = datetime.now(UTC)
    async with in_transaction():
        existing = {row.name: row for row in await PlatformTool.all().select_for_update()}
        for name, definition in sorted(definitions.items()):
            values = _values(definition)
            row = existing.get(name)
            if row is None:
                await PlatformTool.create(name=name, synced_at=now, **values)
                report.created.append(name)
                continue
            changed = {key: value for key, value in values.items() if getattr(row, key) != value}
            if changed:
                row.update_from_dict({**changed, "synced_at": now})
                await row.save()
                report.updated.append(name)
            else:
                report.unchanged.append(name)
        for name, row in existing.items():
            if name not in definitions and row.is_available:
                row.is_available = False
                row.synced_at = now
                await row.save(update_fields=["is_available", "synced_at", "updated_at"])
                report.retired.append(name)
    return report


def _values(definition: ToolDefinition) -> dict[str, Any]:
    """The stored columns of a tool, as keyword arguments of `PlatformTool`."""
    return {
        "display_name": definition.display_name,
        "description": definition.description,
        "auth_type": definition.auth_type.value,
        "auth_config": dict(definition.auth_config),
        "config_schema": dict(definition.config_schema),
        "secret_config_schema": dict(definition.secret_config_schema),
        "tool_functions_schema": [function.as_json() for function in definition.functions],
        "is_available": True,
    }
