"""Building one call's agent session from its snapshot."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from livekit.agents import AgentSession

from core.call_events import Speaker
from core.call_snapshot import CallSnapshot
from core.events import EventBus
from core.integrations.livekit_rooms import RoomService
from core.services.calls import TERMINAL, CallStatus
from core.settings import Settings
from orm.models import Call
from worker.agent import CallAgent
from worker.call_controls import CallControls
from worker.model_factory import ModelFactory, instructions_for
from worker.process import ProcessResources
from worker.recorder import CallRecorder
from worker.tool_guard import guard
from worker.tools.http_functions import load_custom_functions
from worker.tools.loader import load_agent_tools
from worker.tools.registry import ToolSpec
from worker.tools.runtime import CallSession
from worker.transfer import warm_transfer_for
from worker.voicemail import VoicemailControls

log = logging.getLogger(__name__)


@dataclass
class WorkerDeps:
    settings: Settings
    bus: EventBus
    rooms: RoomService
    model_factory: ModelFactory
    http: httpx.AsyncClient
    specs: dict[str, ToolSpec] | None = None
    # The job owns its resources and closes them when it ends (worker/entrypoint.py,
    # `JobShutdown`); a test running jobs beside its own database and bus lends them.
    manage_database: bool = True
    # What the job process prepared before the call (worker/process.py); without it, an
    # owning job opens the database itself.
    process: ProcessResources | None = None
    # Join the LiveKit room (production); without it the session runs text-only (tests).
    use_room: bool = True
    # Called with the prepared call once its session runs (tests drive it from there).
    on_ready: Callable[[PreparedCall], Awaitable[None] | None] | None = None
    # Without a room: called with a warm transfer's briefing session (tests play the person).
    on_briefing: Callable[[AgentSession[Any]], Awaitable[None] | None] | None = None

    @classmethod
    def of_process(
        cls, process: ProcessResources, *, model_factory: ModelFactory, **options: Any
    ) -> WorkerDeps:
        """A job's dependencies from what its process prepared, which the job then owns."""
        return cls(
            settings=process.settings,
            bus=process.bus,
            rooms=process.rooms,
            model_factory=model_factory,
            http=process.http,
            specs=process.specs,
            process=process,
            **options,
        )


@dataclass
class PreparedCall:
    call: Call
    snapshot: CallSnapshot
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
    if call is None or CallStatus(call.status) in TERMINAL:
        return None
    # A call to a number no agent has belongs to no organization: there is nothing to run.
    if call.agent_id is None or call.organization_id is None:
        return None
    snapshot = CallSnapshot.from_stored(call.snapshot)
    settings = deps.settings
    loaded = await load_agent_tools(
        agent_id=call.agent_id,
        settings=settings,
        http=deps.http,
        specs=deps.specs,
        only=snapshot.tool_functions(),
    )
    custom, custom_skipped = await load_custom_functions(
        agent_id=call.agent_id,
        settings=settings,
        only=set(snapshot.custom_functions),
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
        organization_id=call.organization_id,
        agent_id=call.agent_id,
        call_id=call.id,
        caller_number=call.from_number if call.direction == "inbound" else call.to_number,
        tools=loaded.runtimes,
    )
    controls = CallControls(
        recorder=recorder,
        rooms=deps.rooms,
        room=call.livekit_room,
        transfer_to=snapshot.transfer_to,
        hang_up=hang_up,
        caller_identity=caller_identity,
        ringing_timeout=settings.transfer_ringing_timeout_seconds,
        warm=warm_transfer_for(call=call, snapshot=snapshot, deps=deps),
    )
    tools = [
        guard(
            tool,
            timeout=settings.tool_timeout_seconds,
            recorder=recorder,
            filler_phrase=settings.tool_filler_phrase,
            filler_delay=settings.tool_filler_delay_seconds,
        )
        for tool in [*loaded.functions, *custom]
    ] + controls.tools()
    if call.direction == "outbound":  # only a call we placed can reach an answering machine
        tools += VoicemailControls(
            recorder=recorder,
            action=snapshot.voicemail_action,
            message=snapshot.voicemail_message,
            room=call.livekit_room,
            hang_up=hang_up,
        ).tools()
    model = deps.model_factory(snapshot, settings)
    agent = CallAgent(
        snapshot=snapshot,
        tools=tools,
        instructions=instructions_for(model, snapshot),
        callee_speaks_first=call.direction == "outbound",
        greeting_silence_seconds=settings.outbound_greeting_silence_seconds,
    )
    session: AgentSession[CallSession] = AgentSession(llm=model, userdata=userdata)
    _record_transcript(session, recorder)
    return PreparedCall(
        call=call,
        snapshot=snapshot,
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
            recorder.post_transcript(
                speaker=Speaker.CALLER if role == "user" else Speaker.AGENT, text=text
            )

    session.on("conversation_item_added", on_item)
