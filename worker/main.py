"""`voiceagents worker ...`: the tools synced, then LiveKit's own worker command.

The CLI (core/cli.py) checks the settings and calls `run`; everything that
imports LiveKit Agents stays on this side of that call.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from core.settings import Settings
from worker.tools.registry import ToolDefinitionError
from worker.tools.sync import sync_code_tools


class WorkerStartError(Exception):
    """The worker cannot start; the message is one line for the operator."""


def run(
    *,
    mode: str,
    connect_addr: str | None,
    settings: Settings,
    with_database: Callable[[Callable[[], Awaitable[Any]]], Coroutine[Any, Any, Any]],
) -> Any:
    """Sync the tools, then run LiveKit's worker (`start`, `dev` or `console`) until it exits;
    returns what LiveKit's command returns (the process's exit status)."""
    from worker import noise_cancellation  # imports LiveKit Agents

    try:
        noise_cancellation.plugin(settings)
    except noise_cancellation.NoiseCancellationUnavailable as error:
        raise WorkerStartError(f"worker: {error}") from None
    try:
        asyncio.run(with_database(sync_code_tools))
    except ToolDefinitionError as error:
        raise WorkerStartError(f"tools sync: {error}") from None
    if mode == "console" and not connect_addr:
        raise WorkerStartError("worker console: give --connect-addr (from `lk agent console`)")
    from livekit.agents.__main__ import main as livekit_main

    import worker.server
    from worker import analysis
    from worker.revoker import start_in_background

    entry = worker.server.__file__
    if mode == "console":
        argv = ["console", entry, "--connect-addr", str(connect_addr)]
    else:
        argv = ["start", entry, "--log-level", settings.log_level.upper()]
        if mode == "dev":
            argv.append("--dev")
        start_in_background(settings)
        analysis.start_in_background(settings)
    return livekit_main(argv)
