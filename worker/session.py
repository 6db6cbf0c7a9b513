"""Building one call's agent session from its snapshot."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from livekit.agents import AgentSession

from core.events import EventBus
from core.integrations.livekit_rooms import RoomService
from core.services.calls import TERMINAL, CallStatus
from core.settings import Settings
from core.tools.http_functions import load_custom_functions
from core.tools.loader import load_agent_tools
from core.tools.registry import ToolSpec
from core.tools.runtime import CallSession
from orm.models import Call
from worker.agent import CallAgent
from worker.call_controls import CallControls
from worker.model_factory import ModelFactory
from worker.recorder import CallRecorder
from worker.tool_guard import guard

log = logging.getLogger(__name__)


@dataclass
class WorkerDeps:
    settings: Settings
    bus: EventBus
    rooms: RoomService
    model_factory: ModelFactory
    http: httpx.AsyncClient
    specs: dict[str, ToolSpec] | None = None
    # A job process opens its own database; a test running jobs in-process already has one.
    manage_database: bool = True
    # Join the LiveKit room (production); without it the session runs text-only (tests).
    use_room: bool = True
    # Called with the prepared call once its session runs (tests drive it from there).
    on_ready: Callable[[PreparedCall], Awaitable[None] | None] | None = None


@dataclass
class PreparedCall:
    call: Call
    session: AgentSession[CallSession]
    agent: CallAgent
    recorder: CallRecorder
    userdata: CallSession
    skipped: list[str] = field(default_factory=list)


async def prepare_call(
    *,
    call_id: uuid.UUID,
    deps: WorkerDeps,
    hang_up: Callable[[str | None], Awaitable[None]],
    caller_identity: Callable[[], str | None] = lambda: None,
) -> PreparedCall | None:
    """The session for a call, or None when the call is unknown or already over."""
    call = await Call.get_or_none(id=call_id)
    if call is None or CallStatus(call.status) in TERMINAL or call.agent_id is None:  # type: ignore[attr-defined]
        return None
    snapshot: dict[str, Any] = call.snapshot or {}
    settings = deps.settings
    loaded = await load_agent_tools(
        agent_id=call.agent_id,  # type: ignore[attr-defined]
        settings=settings,
        http=deps.http,
        specs=deps.specs,
        only={name: set(functions) for name, functions in (snapshot.get("tools") or {}).items()},
    )
    custom, custom_skipped = await load_custom_functions(
        agent_id=call.agent_id,  # type: ignore[attr-defined]
        settings=settings,
        only=set(snapshot.get("custom_functions") or []),
    )
    skipped = loaded.skipped + custom_skipped
    if skipped:
        log.info("tools left out of the call", extra={"call_id": str(call.id), "skipped": skipped})
    secret_values = {
        str(value)
        for runtime in loaded.runtimes.values()
        for value in runtime.secrets.values()
        if isinstance(value, str | int)
    }
    recorder = CallRecorder(call_id=call.id, bus=deps.bus, secret_values=secret_values)
    userdata = CallSession(
        organization_id=call.organization_id,  # type: ignore[attr-defined]
        agent_id=call.agent_id,  # type: ignore[attr-defined]
        call_id=call.id,
        caller_number=call.from_number if call.direction == "inbound" else call.to_number,
        tools=loaded.runtimes,
    )
    controls = CallControls(
        recorder=recorder,
        rooms=deps.rooms,
        room=call.livekit_room,
        transfer_to=snapshot.get("transfer_to"),
        hang_up=hang_up,
        caller_identity=caller_identity,
    )
    tools = [
        guard(tool, timeout=settings.tool_timeout_seconds, recorder=recorder)
        for tool in [*loaded.functions, *custom]
    ] + controls.tools()
    agent = CallAgent(snapshot=snapshot, tools=tools)
    session: AgentSession[CallSession] = AgentSession(
        llm=deps.model_factory(snapshot, settings), userdata=userdata
    )
    _record_transcript(session, recorder)
    return PreparedCall(
        call=call,
        session=session,
        agent=agent,
        recorder=recorder,
        userdata=userdata,
        skipped=skipped,
    )


def _record_transcript(session: AgentSession[CallSession], recorder: CallRecorder) -> None:
    def on_item(event: Any) -> None:
        item = event.item
        role = getattr(item, "role", None)
        text = getattr(item, "text_content", None)
        if role in ("user", "assistant") and text:
            recorder.post_transcript(speaker="caller" if role == "user" else "agent", text=text)

    session.on("conversation_item_added", on_item)
