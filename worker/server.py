"""The LiveKit AgentServer: `voiceagents worker start` runs this module.

The agent name is explicit, so LiveKit dispatches only the calls we create
(with a RoomAgentDispatch of that name) to these workers.
"""

from __future__ import annotations

import httpx
from livekit.agents import AgentServer, JobContext

from core.events import build_bus
from core.integrations.livekit_rooms import LiveKitRooms
from core.settings import get_settings
from worker.entrypoint import run_job
from worker.model_factory import gemini_realtime
from worker.session import WorkerDeps
from worker.tools.registry import discover

_settings = get_settings()
server = AgentServer(
    ws_url=_settings.livekit_url,
    api_key=_settings.livekit_api_key,
    api_secret=(
        _settings.livekit_api_secret.get_secret_value() if _settings.livekit_api_secret else None
    ),
)


def production_deps() -> WorkerDeps:
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
    await run_job(ctx, production_deps)
