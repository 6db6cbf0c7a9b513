"""Per-call state that tool actions reach through `RunContext.userdata`.

This module imports nothing from LiveKit, so the worker, the tests and the
tool loader share the same types without pulling in the agents framework.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from core.settings import Settings


class ToolUnavailable(Exception):
    """The tool cannot run on this call; the message is safe to say to a caller."""


@dataclass
class ToolRuntime:
    """One configured tool on one call: its config, its unsealed secrets, and how to save them."""

    name: str
    agent_tool_id: uuid.UUID
    config: dict[str, Any]
    secrets: dict[str, Any]
    settings: Settings
    http: httpx.AsyncClient
    # Persist changed secrets (e.g. a refreshed OAuth token) sealed, for the next call.
    save_secrets: Callable[[dict[str, Any]], Awaitable[None]]
    # Record that the tool needs its owner's attention (e.g. a revoked OAuth grant).
    mark_needs_reconnect: Callable[[str], Awaitable[None]]


@dataclass
class CallSession:
    """The typed userdata of an agent session: who is calling, and the tools of this call."""

    organization_id: uuid.UUID
    agent_id: uuid.UUID
    call_id: uuid.UUID | None = None
    caller_number: str | None = None
    caller_name: str | None = None
    tools: dict[str, ToolRuntime] = field(default_factory=dict)

    def tool(self, name: str) -> ToolRuntime:
        try:
            return self.tools[name]
        except KeyError:
            raise ToolUnavailable(f"The {name} tool is not set up for this agent.") from None
