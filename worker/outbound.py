"""Outgoing calls in the worker: ring the callee, and let them speak first.

This is LiveKit's pattern for agents that place calls
(https://docs.livekit.io/agents/start/telephony/#outbound-calls): the job dispatched to the
call's room creates the SIP participant with `wait_until_answered`, which returns when the
callee picks up (their `sip.callStatus` becomes `active`) or fails with the far end's SIP
status. Only then is the call in progress, so ringing is never billed, and only then does
the agent's session start, so nothing is said into a ringing line. The callee speaks
first ("Hello?"); the agent answers that, or greets after a few seconds of silence.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING, Any

from core.call_events import CallStatus
from core.integrations.livekit_rooms import DialOutcome, DialOutFailed, TelephonyUnavailable
from worker.voicemail import VOICEMAIL_INSTRUCTIONS

if TYPE_CHECKING:
    from livekit.agents import AgentSession

    from worker.session import PreparedCall, WorkerDeps

log = logging.getLogger(__name__)

# The SIP participant the callee becomes in the room.
CALLEE_IDENTITY = "callee"

_ENDINGS = {
    DialOutcome.BUSY: CallStatus.BUSY,
    DialOutcome.NO_ANSWER: CallStatus.NO_ANSWER,
    DialOutcome.FAILED: CallStatus.FAILED,
}

# Added to the agent's instructions on outgoing calls: the model answers the callee's first
# words itself (a realtime model replies to every turn), so it must know to greet then.
CALLEE_FIRST_INSTRUCTIONS = (
    "\n\nThis is an outgoing call: you phoned this person. They speak first; when they do, "
    "answer by saying exactly this, and nothing else: {greeting}"
)
CALLEE_FIRST_DEFAULT_INSTRUCTIONS = (
    "\n\nThis is an outgoing call: you phoned this person. They speak first; when they do, "
    "introduce yourself briefly and say why you are calling."
)


async def dial_callee(prepared: PreparedCall, deps: WorkerDeps) -> bool:
    """Ring the callee from the agent's number; True once they answered, and the call is
    then in progress. Otherwise the call ends busy, not answered or failed, with the reason,
    and its room is deleted at once."""
    call = prepared.call
    room = call.livekit_room
    if not room:
        await prepared.recorder.status(CallStatus.FAILED, reason="no_room")
        return False
    try:
        await deps.rooms.dial_out(
            room=room,
            to_number=call.to_number,
            from_number=call.from_number,
            identity=CALLEE_IDENTITY,
            ringing_timeout=deps.settings.outbound_ringing_timeout_seconds,
        )
    except DialOutFailed as failure:
        log.info(
            "the callee was not reached",
            extra={"call_id": str(call.id), "reason": failure.reason},
        )
        await _end(prepared, deps, _ENDINGS[failure.outcome], failure.reason)
        return False
    except TelephonyUnavailable as failure:
        log.error("dial-out failed", extra={"call_id": str(call.id), "reason": str(failure)})
        await _end(prepared, deps, CallStatus.FAILED, "dial_out_failed")
        return False
    await prepared.recorder.status(CallStatus.IN_PROGRESS)
    return True


async def _end(prepared: PreparedCall, deps: WorkerDeps, status: CallStatus, reason: str) -> None:
    await prepared.recorder.status(status, reason=reason)
    # Nobody is left to talk to: the room (and the worker's place in it) goes now rather
    # than after LiveKit's departure timeout.
    with contextlib.suppress(Exception):
        await deps.rooms.delete_room(name=prepared.call.livekit_room or "")


def callee_first_instructions(greeting: str) -> str:
    """What the agent's instructions say on an outgoing call: the callee speaks first, and
    an answering machine is reported (worker/voicemail.py)."""
    if greeting:
        return CALLEE_FIRST_INSTRUCTIONS.format(greeting=greeting) + VOICEMAIL_INSTRUCTIONS
    return CALLEE_FIRST_DEFAULT_INSTRUCTIONS + VOICEMAIL_INSTRUCTIONS


def greet_after_silence(
    session: AgentSession[Any], *, instructions: str, silence_seconds: float
) -> asyncio.Task[None]:
    """Greet with `instructions` unless the callee starts speaking within `silence_seconds`
    (an answering person says "Hello?"; a silent line gets the greeting anyway)."""
    spoke = asyncio.Event()

    def on_user_state(event: Any) -> None:
        if getattr(event, "new_state", None) == "speaking":
            spoke.set()

    def on_item(event: Any) -> None:
        if getattr(event.item, "role", None) == "user":
            spoke.set()

    session.on("user_state_changed", on_user_state)
    session.on("conversation_item_added", on_item)

    async def wait() -> None:
        try:
            await asyncio.wait_for(spoke.wait(), timeout=silence_seconds)
        except TimeoutError:
            session.generate_reply(instructions=instructions)
        finally:
            session.off("user_state_changed", on_user_state)
            session.off("conversation_item_added", on_item)

    task = asyncio.create_task(wait())
    session.on("close", lambda _event: task.cancel())
    return task
