"""Controls every agent has: end the call, and transfer the caller to a human."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from livekit.agents import FunctionTool, RunContext, ToolError, function_tool

from core.call_events import CallStatus, TransferOutcome
from core.integrations.livekit_rooms import RoomService, TelephonyUnavailable
from worker.recorder import CallRecorder
from worker.tools.runtime import CallSession

log = logging.getLogger(__name__)


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
    ) -> None:
        self.recorder = recorder
        self.rooms = rooms
        self.room = room
        self.transfer_to = transfer_to
        self.hang_up = hang_up
        self.caller_identity = caller_identity

    def tools(self) -> list[FunctionTool[..., Any]]:
        tools: list[FunctionTool[..., Any]] = [self.end_call]
        if self.transfer_to:
            tools.append(self.transfer_call)
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
        """Transfer the caller to a human colleague. Tell the caller you are transferring
        them before calling this."""
        identity = self.caller_identity()
        if not (self.transfer_to and self.room and identity):
            await self.recorder.transfer(
                to=self.transfer_to or "", outcome=TransferOutcome.FAILED, reason="no_caller_line"
            )
            raise ToolError("The transfer is not possible on this call. Offer to take a message.")
        await ctx.wait_for_playout()
        try:
            await self.rooms.transfer(
                room=self.room, identity=identity, transfer_to=self.transfer_to
            )
        except TelephonyUnavailable as failure:
            log.warning("transfer failed", extra={"reason": str(failure)})
            await self.recorder.transfer(
                to=self.transfer_to, outcome=TransferOutcome.FAILED, reason="telephony_error"
            )
            raise ToolError(
                "The transfer did not go through. Tell the caller, and offer to take a message "
                "or try again."
            ) from None
        await self.recorder.transfer(to=self.transfer_to, outcome=TransferOutcome.TRANSFERRED)
        await self.recorder.status(CallStatus.COMPLETED, reason="transferred")
        return "The caller has been transferred."
