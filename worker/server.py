"""The LiveKit AgentServer: `voiceagents worker start` runs this module.

The agent name is explicit, so LiveKit dispatches only the calls we create
(with a RoomAgentDispatch of that name) to these workers.

Start-up is paid before a call, not during it (worker/process.py): the modules every
job needs (the Google plugin above all) are imported here and preloaded in LiveKit's
forkserver, and each job process is prewarmed (`setup_fnc`) with the database, the bus,
the HTTP client and the tool registry while it waits for a call. A job's shutdown has
`WORKER_SHUTDOWN_TIMEOUT_SECONDS` before LiveKit kills its process.
"""

from __future__ import annotations

import httpx
from livekit.agents import AgentServer, JobContext

from core.events import build_bus
from core.integrations.livekit_rooms import LiveKitRooms
from core.settings import get_settings
from worker import noise_cancellation, tracing
from worker.entrypoint import run_job
from worker.model_factory import gemini_realtime
from worker.process import PRELOAD_MODULES, RESOURCES_KEY, ProcessResources, prewarm
from worker.session import WorkerDeps
from worker.tools.registry import discover

_settings = get_settings()
server = AgentServer(
    ws_url=_settings.livekit_url,
    api_key=_settings.livekit_api_key,
    api_secret=(
        _settings.livekit_api_secret.get_secret_value() if _settings.livekit_api_secret else None
    ),
    setup_fnc=prewarm,
    preload_modules=[
        *PRELOAD_MODULES,
        *([noise_cancellation.PLUGIN] if _settings.noise_cancellation_enabled else []),
    ],
    shutdown_process_timeout=_settings.worker_shutdown_timeout_seconds,
)


def production_deps(proc_userdata: dict[str, object]) -> WorkerDeps:
    """The job's dependencies, from its prewarmed process."""
    resources = proc_userdata.get(RESOURCES_KEY)
    if isinstance(resources, ProcessResources):
        return WorkerDeps.of_process(resources, model_factory=gemini_realtime)
    # Not prewarmed (LiveKit always runs setup_fnc; this is a safety net): the job opens
    # and closes what it uses itself.
    settings = get_settings()
    return WorkerDeps(
        settings=settings,
        bus=build_bus(settings),
        rooms=LiveKitRooms(settings),
        model_factory=gemini_realtime,
        http=httpx.AsyncClient(timeout=httpx.Timeout(10.0)),
        specs=discover(),
    )


@server.rtc_session(agent_name=_settings.livekit_agent_name)
async def entrypoint(ctx: JobContext) -> None:
    # Each job process exports its call's spans and metrics itself (worker/tracing.py): set
    # up by the prewarm, here again for a process that was not; the job's shutdown flushes
    # them once the call's end is written (worker/entrypoint.py).
    tracing.configure(get_settings())
    await run_job(ctx, lambda: production_deps(ctx.proc.userdata))
