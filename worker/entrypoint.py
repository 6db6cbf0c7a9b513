"""One LiveKit job = one call: load the call's snapshot, run the session, finish the record.

Whatever happens, the call ends in a terminal state: the caller hanging up marks it
completed, a crash marks it failed with a reason, the job's shutdown ends it with the
shutdown's reason, and the API's janitor fails calls whose worker vanished without a word.

LiveKit runs a job's shutdown callbacks all at once (`asyncio.gather`) and kills the
process `shutdown_process_timeout` later, so the job registers exactly one (`JobShutdown`),
which does what must happen in order: stop the watchers, close the session (its last
words reach the transcript), write the ending and every line still queued, and only then
close the database, the bus and the HTTP client.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections.abc import Callable
from typing import Any

from livekit import rtc
from livekit.agents import JobContext, room_io
from livekit.agents.voice.events import CloseReason
from tortoise import Tortoise

from core import tenancy
from core.call_events import StatusSource
from core.services import calls, metering
from core.services.calls import TERMINAL, CallStatus
from orm.config import tortoise_config
from orm.models import Call
from worker import noise_cancellation, tracing
from worker.outbound import dial_callee
from worker.session import PreparedCall, WorkerDeps, prepare_call

log = logging.getLogger(__name__)

CREDITS_EXHAUSTED_INSTRUCTIONS = (
    "The account's call credit has run out. Apologise, tell the caller briefly and kindly "
    "that you have to end the call now because of that, that they are welcome to call back "
    "later, and say goodbye."
)
TIME_LIMIT_INSTRUCTIONS = (
    "The call has reached its time limit. Tell the caller warmly that you have to end the "
    "call now, and say goodbye."
)


def call_id_of(metadata: str) -> uuid.UUID:
    return uuid.UUID(json.loads(metadata or "{}")["call_id"])


async def run_job(ctx: JobContext, deps_factory: Callable[[], WorkerDeps]) -> None:
    try:
        call_id = call_id_of(ctx.job.metadata)
    except (ValueError, KeyError, TypeError):
        log.error("job without a call id in its metadata; ignoring it")
        return
    deps = deps_factory()
    shutdown = JobShutdown(deps)
    ctx.add_shutdown_callback(shutdown.run)
    if deps.process is not None:
        await deps.process.connect()
    elif deps.manage_database:
        await Tortoise.init(
            config=tortoise_config(deps.settings.database_url), _enable_global_fallback=True
        )
    # The job reaches its call's organization and nothing else: everything it starts (the
    # session, its tools, the watchers) runs in this scope, and so does its shutdown.
    shutdown.scope = await tenancy.scope_of_call(call_id)
    tenancy.enter(shutdown.scope)
    # The call's trace continues here (worker/tracing.py): what starts below is part of it.
    call_trace = tracing.CallTrace.begin(
        metadata=ctx.job.metadata, call_id=call_id, job_id=ctx.job.id, room=ctx.job.room.name
    )
    leave_trace = call_trace.make_current()
    try:
        prepared = await prepare_call(
            call_id=call_id,
            deps=deps,
            hang_up=lambda room: _hang_up(ctx, deps, room),
            caller_identity=lambda: _sip_identity(ctx.room),
        )
        if prepared is None:
            log.info("call is unknown or over; leaving", extra={"call_id": str(call_id)})
            call_trace.close("the call is unknown or over")
            return
        call_trace.watch(prepared.session)
        shutdown.attach(prepared)
        # An outgoing call starts its session only once the callee answered (worker/outbound.py).
        if prepared.call.direction == "outbound" and not await dial_callee(prepared, deps):
            ctx.shutdown(reason="the callee was not reached")
            return
        if deps.use_room:
            await prepared.session.start(
                agent=prepared.agent,
                room=ctx.room,
                room_options=room_io.RoomOptions(
                    participant_kinds=[
                        rtc.ParticipantKind.PARTICIPANT_KIND_SIP,
                        rtc.ParticipantKind.PARTICIPANT_KIND_STANDARD,
                    ],
                    close_on_disconnect=True,
                    delete_room_on_close=True,
                    **_caller_audio(prepared, deps),
                ),
            )
        else:
            await prepared.session.start(agent=prepared.agent)
        await prepared.recorder.status(CallStatus.IN_PROGRESS)
        _enforce_time_limit(prepared, ctx, deps, shutdown)
        _watch_balance(prepared, ctx, deps, shutdown)
        if deps.on_ready is not None:
            ready = deps.on_ready(prepared)
            if ready is not None:
                await ready
    except Exception as error:
        log.exception("call job failed", extra={"call_id": str(call_id)})
        reason = f"worker_error:{type(error).__name__}"
        with tracing.ending(call_id, CallStatus.FAILED, reason):
            await calls.apply_status(
                call_id=call_id,
                status=CallStatus.FAILED,
                source=StatusSource.WORKER,
                reason=reason,
                bus=deps.bus,
            )
        raise
    finally:
        leave_trace()


# LiveKit's reason when the room went away under the job (ipc/job_proc_lazy_main.py,
# `_start_job`'s `_on_room_disconnected`).
ROOM_DISCONNECTED = "room disconnected"
# Of the job's shutdown timeout: the share for finishing the record, and the share after
# which everything is closed; the rest is the margin before LiveKit kills the process.
_RECORD_SHARE = 0.7
_CLOSED_SHARE = 0.95


def ending_reason(shutdown_reason: str) -> str:
    """How a job shutdown reads in the record: the room went away, or the job was shut
    down under the call (the worker stopping, LiveKit ending the job)."""
    return "room_closed" if shutdown_reason == ROOM_DISCONNECTED else "job_shutdown"


class JobShutdown:
    """The job's one shutdown callback, and the one way its call ends.

    `end(status, reason)` ends the call once: the first ending asked for wins, and whoever
    asks later waits for it. The session's close asks when it knows why (the caller hung
    up, the model failed); a close the job's shutdown caused leaves it to `run`, which knows
    the shutdown's reason."""

    def __init__(self, deps: WorkerDeps) -> None:
        self.deps = deps
        # The job's tenancy scope: LiveKit runs this callback outside the job's own task.
        self.scope = tenancy.NOTHING
        self.prepared: PreparedCall | None = None
        self._ending: asyncio.Future[None] | None = None
        self._watchers: set[asyncio.Task[Any]] = set()

    def attach(self, prepared: PreparedCall) -> None:
        self.prepared = prepared
        prepared.session.on("close", self._on_session_close)

    def watch(self, task: asyncio.Task[Any]) -> None:
        """A task that lives as long as the call (held here, cancelled at the shutdown)."""
        self._watchers.add(task)
        task.add_done_callback(self._watchers.discard)

    def end(self, status: CallStatus, reason: str) -> asyncio.Future[None]:
        if self._ending is None:
            self._ending = asyncio.ensure_future(self._end(status, reason))
        return self._ending

    async def _end(self, status: CallStatus, reason: str) -> None:
        assert self.prepared is not None
        if not self.prepared.recorder.ended:
            await self.prepared.recorder.status(status, reason=reason)

    def _on_session_close(self, event: Any) -> None:
        error = getattr(event, "error", None)
        if error is not None:
            self.end(CallStatus.FAILED, f"session_error:{type(error).__name__}")
        elif getattr(event, "reason", None) == CloseReason.PARTICIPANT_DISCONNECTED:
            # The caller's line left: a hang-up, or a transfer its tool records (and that wins).
            self.end(CallStatus.COMPLETED, "caller_hung_up")
        # Otherwise the job is shutting down (LiveKit closes the primary session first):
        # `run` ends the call, with the shutdown's reason.

    async def run(self, reason: str) -> None:
        """Finish the record, then close the job's resources, within the shutdown timeout."""
        timeout = self.deps.settings.worker_shutdown_timeout_seconds
        loop = asyncio.get_running_loop()
        closed_by = loop.time() + timeout * _CLOSED_SHARE
        try:
            with tenancy.scoped(self.scope):
                await asyncio.wait_for(self._finish_record(reason), timeout * _RECORD_SHARE)
        except TimeoutError:
            log.error(
                "the call's record was not finished within the job's shutdown timeout",
                extra={"call_id": self._call_id(), "reason": reason},
            )
        except Exception:
            log.exception("could not finish the call's record", extra={"call_id": self._call_id()})
        await self._close(max(closed_by - loop.time(), 0.1))

    async def _finish_record(self, reason: str) -> None:
        for watcher in list(self._watchers):
            watcher.cancel()  # an ending a watcher began is the recorder's own task: kept
        prepared = self.prepared
        if prepared is None:
            return
        # Already closed when LiveKit shut the job down; closing it here too covers a
        # session that is not the job's primary one. Its last words reach the transcript.
        with contextlib.suppress(Exception):
            await prepared.session.aclose()
        await asyncio.shield(self.end(CallStatus.COMPLETED, ending_reason(reason)))
        await prepared.recorder.flush()  # lines queued after the end, and a write under way

    async def _close(self, timeout: float) -> None:
        deps = self.deps
        loop = asyncio.get_running_loop()
        closed_by = loop.time() + timeout
        if deps.process is not None:
            await deps.process.close(timeout=timeout)
        elif deps.manage_database:
            await _close_unprepared(deps, timeout=timeout)
        # the call's spans, its end included, leave before the process does
        with contextlib.suppress(Exception):
            await asyncio.wait_for(tracing.flush(), max(closed_by - loop.time(), 0.05))

    def _call_id(self) -> str | None:
        return str(self.prepared.call.id) if self.prepared is not None else None


def _enforce_time_limit(
    prepared: PreparedCall, ctx: JobContext, deps: WorkerDeps, shutdown: JobShutdown
) -> None:
    limit = prepared.snapshot.max_call_duration_seconds

    async def expire() -> None:
        await asyncio.sleep(limit)
        if prepared.recorder.ended:
            return
        handle = prepared.session.generate_reply(instructions=TIME_LIMIT_INSTRUCTIONS)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(handle.wait_for_playout(), timeout=20)
        await prepared.recorder.status(CallStatus.COMPLETED, reason="max_duration")
        await _hang_up(ctx, deps, prepared.call.livekit_room)

    shutdown.watch(asyncio.create_task(expire()))


def _watch_balance(
    prepared: PreparedCall, ctx: JobContext, deps: WorkerDeps, shutdown: JobShutdown
) -> None:
    """Every CREDIT_CHECK_INTERVAL_SECONDS: if the balance cannot cover the call until the
    next check, the agent says why and ends the call, so it never runs on credit it lacks."""
    interval = deps.settings.credit_check_interval_seconds
    organization_id = prepared.userdata.organization_id

    async def watch() -> None:
        rate = await metering.rate_for(organization_id, deps.settings)
        while not prepared.recorder.ended:
            await asyncio.sleep(interval)
            call = await Call.get_or_none(id=prepared.call.id)
            # Gone (its organization was deleted) or over: nothing left to pay for.
            if call is None or CallStatus(call.status) in TERMINAL:
                return
            if await metering.credits_cover(call=call, rate=rate, ahead_seconds=interval):
                continue
            log.info("credits exhausted; ending the call", extra={"call_id": str(call.id)})
            handle = prepared.session.generate_reply(instructions=CREDITS_EXHAUSTED_INSTRUCTIONS)
            with contextlib.suppress(Exception):
                await asyncio.wait_for(handle.wait_for_playout(), timeout=20)
            await prepared.recorder.status(CallStatus.COMPLETED, reason="credits_exhausted")
            await _hang_up(ctx, deps, prepared.call.livekit_room)
            return

    shutdown.watch(asyncio.create_task(watch()))


async def _hang_up(ctx: JobContext, deps: WorkerDeps, room: str | None) -> None:
    """Delete the call's room: the SIP leg drops, Twilio reports the call completed."""
    name = room or ctx.job.room.name
    if name:
        with contextlib.suppress(Exception):
            await deps.rooms.delete_room(name=name)
    ctx.shutdown(reason="call ended")


def _caller_audio(prepared: PreparedCall, deps: WorkerDeps) -> dict[str, Any]:
    audio = noise_cancellation.caller_audio(
        prepared.call.direction, noise_cancellation.plugin(deps.settings)
    )
    return {"audio_input": audio} if audio is not None else {}


def _sip_identity(room: rtc.Room) -> str | None:
    for participant in room.remote_participants.values():
        if participant.kind == rtc.ParticipantKind.PARTICIPANT_KIND_SIP:
            return participant.identity
    return None


async def _close_unprepared(deps: WorkerDeps, *, timeout: float) -> None:
    """A job that opened what it uses itself (no prewarmed process) closes it the same way."""
    close_rooms = getattr(deps.rooms, "aclose", None)
    closers = [deps.http.aclose, deps.bus.close, *([close_rooms] if close_rooms else [])]
    loop = asyncio.get_running_loop()
    closed_by = loop.time() + timeout
    for close in [*closers, Tortoise.close_connections]:
        try:
            await asyncio.wait_for(close(), max(closed_by - loop.time(), 0.01))
        except Exception:
            log.warning("could not close a job resource", exc_info=True)
