"""Worker side: an agent's enabled tools, with their secrets unsealed, ready for a call.

The only reader of sealed tool secrets, besides key rotation. Nothing under
graphql_api/ or webhooks/ imports it (tests/tools_framework/test_two_tiers*.py, `make lint`).
"""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from livekit.agents.llm import FunctionTool, RawFunctionTool

from core.security.sealing import seal
from core.security.unsealing import UnsealError, unseal
from core.services.agent_tools import seal_context
from core.settings import Settings, parse_encryption_keys
from orm.models import AgentTool
from worker.tools.registry import ToolSpec, discover
from worker.tools.runtime import ToolRuntime

log = logging.getLogger(__name__)


@dataclass
class LoadedTools:
    runtimes: dict[str, ToolRuntime] = field(default_factory=dict)
    functions: list[FunctionTool | RawFunctionTool] = field(default_factory=list)
    # What was left out and why, for the call record and the logs (never secrets).
    skipped: list[str] = field(default_factory=list)


async def load_agent_tools(
    *,
    agent_id: uuid.UUID,
    settings: Settings,
    http: httpx.AsyncClient,
    specs: dict[str, ToolSpec] | None = None,
    only: dict[str, set[str]] | None = None,
) -> LoadedTools:
    """The agent's enabled tools; `only` (tool -> function names) narrows them to a snapshot."""
    specs = discover() if specs is None else specs
    keys = parse_encryption_keys(settings.encryption_keys.get_secret_value())
    rows = await AgentTool.filter(
        agent_id=agent_id, is_enabled=True, tool__is_active=True, tool__is_available=True
    ).select_related("tool")
    loaded = LoadedTools()
    for row in rows:
        name = row.tool.name
        spec = specs.get(name)
        if spec is None:
            loaded.skipped.append(f"{name}: not in this worker's code")
            continue
        if only is not None and name not in only:
            continue
        try:
            secrets = (
                unseal(row.sensitive_config, context=seal_context(row), keys=keys)
                if row.sensitive_config
                else {}
            )
        except UnsealError as failure:
            # Say which row and why, never the value.
            log.error(
                "tool secrets do not decrypt",
                extra={"agent_tool_id": str(row.id), "reason": str(failure)},
            )
            await _mark_needs_reconnect(row.id, "Its secrets could not be read; set them again.")
            loaded.skipped.append(f"{name}: secrets unreadable")
            continue
        loaded.runtimes[name] = ToolRuntime(
            name=name,
            agent_tool_id=row.id,
            config=dict(row.config or {}),
            secrets=secrets,
            settings=settings,
            http=http,
            save_secrets=_saver(row, keys),
            mark_needs_reconnect=functools.partial(_mark_needs_reconnect, row.id),
        )
        disabled = set(row.unselected_functions or [])
        allowed = only.get(name) if only is not None else None
        stale = sorted(disabled - spec.function_names)
        if stale:
            log.info("ignoring stale disabled functions", extra={"tool": name, "functions": stale})
        for function in spec.tool_class().function_tools():
            function_name = function.info.name
            if function_name in disabled or (allowed is not None and function_name not in allowed):
                loaded.skipped.append(f"{name}.{function_name}: disabled")
                continue
            loaded.functions.append(function)
    return loaded


def _saver(row: AgentTool, keys: dict[str, bytes]) -> Callable[[dict[str, Any]], Awaitable[None]]:
    context = seal_context(row)

    async def save(secrets: dict[str, Any]) -> None:
        sealed = seal(secrets, context=context, keys=keys)
        await AgentTool.filter(id=row.id).update(
            sensitive_config=sealed, secret_fields_set=sorted(secrets)
        )

    return save


async def _mark_needs_reconnect(agent_tool_id: uuid.UUID, reason: str) -> None:
    await AgentTool.filter(id=agent_tool_id).update(
        needs_reconnect=True, reconnect_reason=reason[:200]
    )
