"""`voiceagents tools sync`: the code's tools, upserted into platform_tools (idempotent)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from tortoise.transactions import in_transaction

from core.tools.registry import ToolSpec, discover
from orm.models import PlatformTool


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)


async def sync_platform_tools(specs: dict[str, ToolSpec] | None = None) -> SyncReport:
    """Upsert every discovered tool; a tool no longer in code becomes unavailable (inactive)."""
    specs = discover() if specs is None else specs
    report = SyncReport()
    now = datetime.now(UTC)
    async with in_transaction():
        existing = {row.name: row for row in await PlatformTool.all().select_for_update()}
        for name, spec in sorted(specs.items()):
            values = _values(spec)
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
            if name not in specs and row.is_available:
                row.is_available = False
                row.synced_at = now
                await row.save(update_fields=["is_available", "synced_at", "updated_at"])
                report.retired.append(name)
    return report


def _values(spec: ToolSpec) -> dict[str, object]:
    tool = spec.tool_class
    return {
        "display_name": tool.display_name,
        "description": tool.description,
        "auth_type": tool.auth_type.value,
        "auth_config": tool.auth_config,
        "config_schema": tool.config_schema,
        "secret_config_schema": tool.secret_config_schema,
        "tool_functions_schema": [function.as_json() for function in spec.functions],
        "is_available": True,
    }
