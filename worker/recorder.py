"""Writes a call's timeline from the worker: transcript, tool invocations, transfers, the end."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from core.call_events import (
    CallEventPayload,
    CallStatus,
    Speaker,
    StatusSource,
    ToolInvoked,
    ToolOutcome,
    TranscriptSegment,
    Transfer,
    TransferBriefing,
    TransferMode,
    TransferOutcome,
    TransferStarted,
)
from core.events import EventBus
from core.services import calls
from worker import tracing

log = logging.getLogger(__name__)

_SECRET_KEYS = ("password", "secret", "token", "api_key", "apikey", "authorization", "cookie")
REDACTED = "[redacted]"


class CallRecorder:
    def __init__(
        self, *, call_id: uuid.UUID, bus: EventBus | None, secret_values: set[str] | None = None
    ) -> None:
        self.call_id = call_id
        self.bus = bus
        # Secret values of this call's tools never reach the record, whatever the model says.
        self.secret_values = {value for value in (secret_values or set()) if len(value) >= 6}
        self.ended = False
        # One writer, in order: LiveKit reports transcript items from sync callbacks.
        self._pending: asyncio.Queue[Callable[[], Awaitable[None]]] = asyncio.Queue()
        self._writer: asyncio.Task[None] | None = None
        self._endings: list[asyncio.Future[None]] = []

    def post_transcript(self, *, speaker: Speaker, text: str) -> None:
        """Queue a transcript turn from a synchronous callback."""
        self._post(lambda: self.transcript(speaker=speaker, text=text))

    def _post(self, write: Callable[[], Awaitable[None]]) -> None:
        self._pending.put_nowait(write)
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._drain())

    async def _drain(self) -> None:
        while not self._pending.empty():
            write = self._pending.get_nowait()
            await write()

    async def flush(self) -> None:
        """Wait until every queued entry, and an ending under way, is written."""
        while self._writer is not None and not self._writer.done():
            await asyncio.shield(self._writer)
        if not self._pending.empty():
            await self._drain()
        if underway := [ending for ending in self._endings if not ending.done()]:
            await asyncio.wait(underway)  # its failure is its asker's to handle

    async def transcript(self, *, speaker: Speaker, text: str) -> None:
        if text.strip():
            await self._record(TranscriptSegment(speaker=speaker, text=self._scrub(text)))

    async def tool_invoked(
        self,
        *,
        function: str,
        arguments: dict[str, Any],
        outcome: ToolOutcome,
        latency_ms: int,
        message: str | None = None,
    ) -> None:
        await self._record(
            ToolInvoked(
                function=function,
                arguments=self.redact(arguments),
                outcome=outcome,
                latency_ms=latency_ms,
                message=self._scrub(message) if message else None,
            )
        )

    async def transfer(
        self,
        *,
        to: str,
        outcome: TransferOutcome,
        reason: str | None = None,
        mode: TransferMode | None = None,
    ) -> None:
        await self._record(
            Transfer(
                transfer_to=to,
                outcome=outcome,
                reason=self._scrub(reason) if reason else None,
                mode=mode,
            )
        )

    async def transfer_started(self, *, to: str, mode: TransferMode) -> None:
        await self._record(TransferStarted(transfer_to=to, mode=mode))

    async def transfer_briefing(self, *, to: str, summary: str) -> None:
        await self._record(TransferBriefing(transfer_to=to, summary=self._scrub(summary)))

    async def status(self, status: CallStatus, *, reason: str | None = None) -> None:
        await self.flush()  # the transcript so far comes before the end
        if status not in calls.TERMINAL:
            await self._apply_status(status, reason)
            return
        self.ended = True
        # The ending is written by a task of its own: whoever asked for it may be cancelled
        # (a watcher, a tool, as the job shuts down) without losing it, and `flush` waits
        # for it.
        ending = asyncio.ensure_future(self._apply_status(status, reason))
        self._endings.append(ending)
        await asyncio.shield(ending)

    async def _apply_status(self, status: CallStatus, reason: str | None) -> None:
        with tracing.ending(self.call_id, status, reason):  # the call's trace ends here
            await calls.apply_status(
                call_id=self.call_id,
                status=status,
                source=StatusSource.WORKER,
                reason=reason,
                bus=self.bus,
            )

    def redact(self, value: Any, key: str = "") -> Any:
        if any(marker in key.lower() for marker in _SECRET_KEYS):
            return REDACTED
        if isinstance(value, dict):
            return {k: self.redact(v, str(k)) for k, v in value.items()}
        if isinstance(value, list):
            return [self.redact(item) for item in value]
        if isinstance(value, str):
            return self._scrub(value)
        return value

    def _scrub(self, text: str) -> str:
        for secret in self.secret_values:
            if secret in text:
                text = text.replace(secret, REDACTED)
        return text

    async def _record(self, payload: CallEventPayload) -> None:
        try:
            await calls.record_event(call_id=self.call_id, payload=payload, bus=self.bus)
        except Exception:  # the call goes on even if one entry cannot be written
            log.exception(
                "could not record a call event",
                extra={"call_id": str(self.call_id), "event_type": payload.event_type.value},
            )
