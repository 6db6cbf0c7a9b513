"""`voiceagents tools sync`: the tools defined in code, described and stored in platform_tools.

The description needs the tool classes (and so LiveKit Agents); storing them is
core's (core/tools/sync.py). The CLI and the worker's start call this.
"""

from __future__ import annotations

from core.tools.sync import SyncReport, sync_platform_tools
from worker.tools.registry import ToolSpec, discover


async def sync_code_tools(specs: dict[str, ToolSpec] | None = None) -> SyncReport:
    """Upsert every discovered tool; a tool no longer in code becomes unavailable (inactive)."""
    specs = discover() if specs is None else specs
    return await sync_platform_tools({name: spec.definition for name, spec in specs.items()})
