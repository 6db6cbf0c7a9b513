"""What a job process holds, made ready before a call arrives (LiveKit's prewarm).

LiveKit runs each call's job in a process of its own, started ahead of time (the server's
idle processes) and forked from a forkserver on Linux (livekit-agents 1.8.9, worker.py
`AgentServer.run` sets `set_forkserver_preload`). Whatever a job would otherwise do first
while the caller's phone rings is done earlier, in two places:

- `PRELOAD_MODULES`: imported once in the forkserver (`AgentServer(preload_modules=...)`),
  so every job process starts with them loaded: above all the Google plugin, which took
  ~0.7 s to import inside each job.
- `prewarm` (`AgentServer.setup_fnc`): once per process, before the job's event loop
  exists (ipc/job_proc_lazy_main.py `_JobProc.initialize`): the settings, the database
  (Tortoise's models and client, current for every task of the process), the event bus,
  the HTTP client, LiveKit's client and the tool registry (`ProcessResources`). A database
  connection belongs to the event loop it was opened on (asyncpg, aiosqlite), so it is
  opened as soon as the process's loop starts, before any job is assigned
  (`_open_connection_when_the_loop_starts`); the job waits for it (`connect`).

The job's one shutdown path closes them, after the call's record is complete
(worker/entrypoint.py, `JobShutdown`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from livekit.agents import JobExecutorType, JobProcess
from tortoise.context import TortoiseContext

from core.events import EventBus, build_bus
from core.integrations.livekit_rooms import LiveKitRooms, RoomService
from core.settings import Settings, get_settings
from orm.config import tortoise_config
from worker import tracing
from worker.tools.registry import ToolSpec, discover

log = logging.getLogger(__name__)

# Imported in the forkserver, before any job process is forked from it.
PRELOAD_MODULES = [
    "livekit.plugins.google",
    "orm.models",
    "worker.entrypoint",
    "worker.model_factory",
    "worker.session",
]

# Where `prewarm` leaves the resources in `JobProcess.userdata`.
RESOURCES_KEY = "voiceagents.resources"


@dataclass
class ProcessResources:
    settings: Settings
    database: TortoiseContext
    bus: EventBus
    http: httpx.AsyncClient
    rooms: RoomService
    specs: dict[str, ToolSpec]
    _connecting: asyncio.Task[None] | None = field(default=None, repr=False)

    async def connect(self) -> None:
        """The database connection open: the one the loop's start began, else a new one."""
        opening = self._connecting
        if (
            opening is None
            or opening.get_loop() is not _running_loop()
            or (opening.done() and (opening.cancelled() or opening.exception() is not None))
        ):
            opening = self._connecting = asyncio.ensure_future(self._open_connection())
        await asyncio.shield(opening)

    async def _open_connection(self) -> None:
        await self.database.db().execute_query("SELECT 1")

    def start_connecting(self) -> None:
        """Open the database connection in the background on the running loop."""
        self._connecting = asyncio.ensure_future(self._open_connection())
        self._connecting.add_done_callback(_log_failure)

    async def close(self, *, timeout: float) -> None:
        """Close everything, each within what is left of `timeout`: the HTTP client, the
        bus, LiveKit's client, then the database."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        closers: list[tuple[str, Callable[[], Any]]] = [
            ("http", self.http.aclose),
            ("bus", self.bus.close),
            ("rooms", getattr(self.rooms, "aclose", _nothing)),
            ("database", self.database.close_connections),
        ]
        for name, close in closers:
            try:
                await asyncio.wait_for(close(), max(deadline - loop.time(), 0.01))
            except Exception:  # one that fails or hangs does not keep the others open
                log.warning("could not close the job's %s", name, exc_info=True)


def open_process_resources(
    settings: Settings, *, global_database: bool = True, bus: EventBus | None = None
) -> ProcessResources:
    """Everything a job needs but the call, built with no event loop running.

    The database context is made current in the calling context, which every task of a
    job process inherits; `global_database` also makes it Tortoise's global fallback, for
    callbacks LiveKit runs from its own threads' contexts (a job process has one database;
    a test running jobs beside its own database passes False)."""
    database = TortoiseContext()
    # Current before it is built: building the models looks their connection up.
    database.__enter__()
    # Models and client are built here; no connection is opened (that needs the job's loop).
    asyncio.run(
        database.init(
            config=tortoise_config(settings.database_url),
            _enable_global_fallback=global_database,
        )
    )
    return ProcessResources(
        settings=settings,
        database=database,
        bus=bus if bus is not None else build_bus(settings),
        http=httpx.AsyncClient(timeout=httpx.Timeout(10.0)),
        rooms=LiveKitRooms(settings),
        specs=discover(),
    )


def prewarm(proc: JobProcess) -> None:
    """`AgentServer.setup_fnc`: runs in each job process before it is given a call."""
    # Before livekit-agents prepares a job's telemetry, which would take the global meter
    # provider on LiveKit Cloud (worker/tracing.py).
    tracing.configure(get_settings())
    resources = open_process_resources(get_settings())
    proc.userdata[RESOURCES_KEY] = resources
    if proc.executor_type == JobExecutorType.PROCESS:  # a process of its own, not a thread
        _open_connection_when_the_loop_starts(resources)


def _open_connection_when_the_loop_starts(resources: ProcessResources) -> None:
    """Right after `setup_fnc` returns, LiveKit creates the process's event loop with
    `asyncio.new_event_loop()` (ipc/proc_client.py `_ProcClient.run`) and waits on it for a
    job. The first loop created in this process from here on starts opening the database
    connection, so the job finds it open; the policy is put back at once. Should LiveKit
    ever create its loop differently, nothing is lost: the job opens the connection."""
    previous = asyncio.get_event_loop_policy()

    class _OpenConnectionOnFirstLoop(type(previous)):  # type: ignore[misc]
        def new_event_loop(self) -> asyncio.AbstractEventLoop:
            asyncio.set_event_loop_policy(previous)
            loop = previous.new_event_loop()
            loop.call_soon(resources.start_connecting)
            return loop

    asyncio.set_event_loop_policy(_OpenConnectionOnFirstLoop())


def _running_loop() -> asyncio.AbstractEventLoop | None:
    with contextlib.suppress(RuntimeError):
        return asyncio.get_running_loop()
    return None


def _log_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.warning(
            "could not open the database connection ahead of the call", exc_info=task.exception()
        )


async def _nothing() -> None:
    return None
