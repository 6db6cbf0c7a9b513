"""Voicemail on outgoing calls: the model reports an answering machine, and the agent hangs up
or leaves its message, as the agent chose (`voicemailAction`).

This is LiveKit's pattern for agents that place calls
(https://docs.livekit.io/agents/start/telephony/, voicemail detection; the outbound caller
example's `detected_answering_machine`): a function tool the model calls once it hears a
voicemail greeting rather than a person, after that greeting (the beep). Only outgoing calls
have it: an incoming call always has a person (or a dialler) on the line.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from livekit.agents import AgentSession, FunctionTool, RunContext, function_tool
from livekit.agents.voice import SpeechHandle

from core.call_events import CallStatus
from core.services.agents import VoicemailAction
from worker.recorder import CallRecorder
from worker.tools.runtime import CallSession

# How the call ends: hung up on the machine, or after leaving the message.
HUNG_UP_ON_VOICEMAIL = "voicemail"
VOICEMAIL_LEFT = "voicemail_left"

# Added to the instructions of an outgoing call, which the model reads before the callee
# (or their voicemail) speaks.
VOICEMAIL_INSTRUCTIONS = (
    "\n\nIf voicemail or an answering machine picks up instead of the person (a recorded "
    "greeting, an invitation to leave a message after the tone), do not talk to it: wait "
    "until its greeting has ended, then call report_voicemail."
)
# The message, when the agent has none of its own: the model composes it from its prompt.
COMPOSE_INSTRUCTIONS = (
    "You have reached the person's voicemail and it is recording now. Leave a short message "
    "in one or two sentences: who you are, why you called, and how they can reach you or "
    "that you will call back. Say nothing else."
)
SAY_EXACTLY_INSTRUCTIONS = (
    "You have reached the person's voicemail and it is recording now. Say exactly this, and "
    "nothing else: {message}"
)


class VoicemailControls:
    """Bound per outgoing call: what the agent does on reaching an answering machine."""

    def __init__(
        self,
        *,
        recorder: CallRecorder,
        action: VoicemailAction,
        message: str,
        room: str | None,
        hang_up: Callable[[str | None], Awaitable[None]],
    ) -> None:
        self.recorder = recorder
        self.action = action
        self.message = message.strip()
        self.room = room
        self.hang_up = hang_up

    def tools(self) -> list[FunctionTool[..., Any]]:
        return [self.report_voicemail]

    @function_tool
    async def report_voicemail(self, ctx: RunContext[CallSession]) -> None:
        """Call this when voicemail or an answering machine answered instead of the person
        you phoned, once its greeting has ended (after the tone). Do not leave a message
        yourself and do not say goodbye: this takes care of the rest of the call."""
        if self.action is VoicemailAction.HANG_UP:
            await self.recorder.status(CallStatus.COMPLETED, reason=HUNG_UP_ON_VOICEMAIL)
            await self.hang_up(self.room)
            return
        # Whatever the model said before calling this plays out first; then the message,
        # all of it, before the line goes dead.
        await ctx.wait_for_playout()
        await leave_message(ctx.session, self.message).wait_for_playout()
        await self.recorder.status(CallStatus.COMPLETED, reason=VOICEMAIL_LEFT)
        await self.hang_up(self.room)


def leave_message(session: AgentSession[Any], message: str) -> SpeechHandle:
    """The agent's message as it is (spoken by the session's voice: a TTS, or text without
    audio; a realtime model that cannot speak given text, Gemini, is asked to say it word
    for word), or, without one, a message the model composes."""
    if not message:
        return session.generate_reply(instructions=COMPOSE_INSTRUCTIONS)
    try:
        return session.say(message)
    except RuntimeError:
        return session.generate_reply(instructions=SAY_EXACTLY_INSTRUCTIONS.format(message=message))
