"""Controls every agent has: end the call, and transfer the caller to a human.

Transfers (docs/calls.md, "Transfers to a person"), one of them offered, as the agent chose
(`transferMode`): warm where a warm transfer can work on the call, cold otherwise.
- cold, `transfer_call`: LiveKit's TransferSIPParticipant sends a SIP REFER to Twilio, which
  dials the agent's person (an incoming call: through our referUrl, webhooks/twilio_refer.py;
  an outgoing one: through the SIP trunk). It lasts as long as the person's phone rings.
- warm, `warm_transfer_call` (worker/transfer.py): the agent calls the person while the
  caller holds, briefs them, and connects the caller if they take the call.

Each step is recorded (`CallTransferStarted`, `CallTransferBriefing`, `CallTransfer`); a
transfer nobody takes leaves the caller with the agent, who is told why and says so.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, NoReturn

from livekit.agents import FunctionTool, RunContext, ToolError, function_tool

from core.call_events import CallStatus, TransferMode, TransferOutcome
from core.integrations.livekit_rooms import RoomService, TelephonyUnavailable, TransferResult
from worker.recorder import CallRecorder
from worker.tools.runtime import CallSession
from worker.transfer import CallerHold, WarmTransfer, watch_person_leaving

log = logging.getLogger(__name__)

# What the model is told when nobody took the caller; it tells the caller.
_NOT_TAKEN = {
    TransferOutcome.BUSY: "Your colleague's line is busy.",
    TransferOutcome.NO_ANSWER: "Your colleague did not answer.",
    TransferOutcome.DECLINED: "Your colleague cannot take the call right now{reason}.",
    TransferOutcome.FAILED: "The transfer did not go through.",
}
_OFFER = " Tell the caller, and offer to take a message or to try again later."
_DECLINE_CODES = frozenset({"declined", "hung_up"})


class CallControls:
    """Bound per call: what the controls act on."""

    def __init__(
        self,
        *,
        recorder: CallRecorder,
        rooms: RoomService,
        room: str | None,
        transfer_to: str | None,
        hang_up: Callable[[str | None], Awaitable[None]],
        caller_identity: Callable[[], str | None],
        ringing_timeout: float = 30.0,
        warm: WarmTransfer | None = None,
    ) -> None:
        self.recorder = recorder
        self.rooms = rooms
        self.room = room
        self.transfer_to = transfer_to
        self.hang_up = hang_up
        self.caller_identity = caller_identity
        self.ringing_timeout = ringing_timeout
        self.warm = warm

    def tools(self) -> list[FunctionTool[..., Any]]:
        tools: list[FunctionTool[..., Any]] = [self.end_call]
        if self.transfer_to:
            # `warm` is given only to an agent that chose warm transfers, on a call where
            # they can work (worker/transfer.py, `warm_transfer_for`).
            tools.append(self.warm_transfer_call if self.warm is not None else self.transfer_call)
        return tools

    @function_tool
    async def end_call(self, ctx: RunContext[CallSession]) -> None:
        """End the call. Say goodbye to the caller first; call this only after that."""
        # Let the goodbye finish playing before the line goes dead.
        await ctx.wait_for_playout()
        await self.recorder.status(CallStatus.COMPLETED, reason="agent_ended")
        await self.hang_up(self.room)

    @function_tool
    async def transfer_call(self, ctx: RunContext[CallSession]) -> str:
        """Transfer the caller to a human colleague straight away. Tell the caller you are
        transferring them before calling this."""
        identity = await self._caller_line(TransferMode.COLD)
        assert self.transfer_to is not None and self.room is not None
        await ctx.wait_for_playout()
        await self.recorder.transfer_started(to=self.transfer_to, mode=TransferMode.COLD)
        try:
            result = await self.rooms.transfer(
                room=self.room,
                identity=identity,
                transfer_to=self.transfer_to,
                ringing_timeout=self.ringing_timeout,
            )
        except TelephonyUnavailable as failure:
            log.warning("transfer failed", extra={"reason": str(failure)})
            result = TransferResult(TransferOutcome.FAILED, "telephony_error")
        if not result.transferred:
            await self._not_taken(result, TransferMode.COLD)
        # Recorded at once: as the transfer completes, LiveKit reports the caller's leg
        # leaving the room, which must not read as the caller hanging up.
        await self.recorder.transfer(
            to=self.transfer_to, outcome=TransferOutcome.TRANSFERRED, mode=TransferMode.COLD
        )
        await self.recorder.status(CallStatus.COMPLETED, reason="transferred")
        # The caller is gone from the room; nothing is left for the agent to do.
        await self.hang_up(self.room)
        return "The caller has been transferred."

    @function_tool
    async def warm_transfer_call(self, ctx: RunContext[CallSession], summary: str) -> str:
        """Transfer the caller to a human colleague after briefing them: the caller holds
        while you call your colleague, tell them what the call is about, and connect the
        caller if they can take it. Tell the caller you are putting them on hold first.

        Args:
            summary: One or two sentences for your colleague: who is calling, what they
                want, and why they need a person.
        """
        identity = await self._caller_line(TransferMode.WARM)
        assert self.transfer_to is not None and self.room is not None and identity
        warm = self.warm
        if warm is None:  # not offered then; a model may still name it
            raise ToolError("Transfers are not possible on this call. Offer to take a message.")
        await ctx.wait_for_playout()
        await self.recorder.transfer_started(to=self.transfer_to, mode=TransferMode.WARM)
        transfer_to = self.transfer_to
        hold = CallerHold(ctx.session)
        await hold.start()
        try:
            result = await warm.run(
                room=self.room,
                summary=summary,
                on_answered=lambda: self.recorder.transfer_briefing(
                    to=transfer_to, summary=summary
                ),
            )
        except TelephonyUnavailable as failure:
            log.warning("warm transfer failed", extra={"reason": str(failure)})
            result = TransferResult(TransferOutcome.FAILED, "telephony_error")
        except BaseException:
            await hold.release()
            raise
        if not result.transferred:
            await hold.release()
            await self._not_taken(result, TransferMode.WARM)
        await hold.stop_music()
        await self.recorder.transfer(
            to=transfer_to, outcome=TransferOutcome.TRANSFERRED, mode=TransferMode.WARM
        )
        await self.recorder.status(CallStatus.COMPLETED, reason="transferred")
        # The caller and the person now talk in the caller's room; the agent stays silent
        # there (its line is off) until one of them hangs up.
        watch_person_leaving(ctx.session, lambda: self.hang_up(self.room))
        return "The caller is now talking with your colleague. Say nothing more."

    async def _caller_line(self, mode: TransferMode) -> str:
        """The caller's SIP participant, or a recorded failure the model hears about."""
        identity = self.caller_identity()
        if not (self.transfer_to and self.room and identity):
            await self.recorder.transfer(
                to=self.transfer_to or "",
                outcome=TransferOutcome.FAILED,
                reason="no_caller_line",
                mode=mode,
            )
            raise ToolError("The transfer is not possible on this call. Offer to take a message.")
        return identity

    async def _not_taken(self, result: TransferResult, mode: TransferMode) -> NoReturn:
        """Record how the transfer ended, and tell the model, which tells the caller."""
        assert self.transfer_to is not None
        await self.recorder.transfer(
            to=self.transfer_to, outcome=result.outcome, reason=result.reason, mode=mode
        )
        message = _NOT_TAKEN.get(result.outcome, _NOT_TAKEN[TransferOutcome.FAILED])
        # A person who declined gave their reason in words; other reasons are codes.
        words = result.reason if result.outcome is TransferOutcome.DECLINED else None
        if words in _DECLINE_CODES or (words or "").startswith("sip_"):
            words = None
        raise ToolError(message.format(reason=f": {words}" if words else "") + _OFFER)
