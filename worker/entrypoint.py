"""One LiveKit job = one call: load the call's snapshot, run the session, finish the record.

Whatever happens, the call ends in a terminal state: the session's close marks
it completed, a crash marks it failed with a reason, and the API's janitor
fails calls whose worker vanished without a word.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import uuid
from collections.abc import Callable, Coroutine
from typing import Any

from livekit import rtc
from livekit.agents import JobContext, room_io
from tortoise import Tortoise

from core.call_events import StatusSource
from core.services import calls, metering
from core.services.calls import TERMINAL, CallStatus
from orm.config import tortoise_config
from orm.models import Call
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
    if deps.manage_database:
        await Tortoise.init(
            config=tortoise_config(deps.settings.database_url), _enable_global_fallback=True
        )
    ctx.add_shutdown_callback(lambda: _close(deps))
    try:
        prepared = await prepare_call(
            call_id=call_id,
            deps=deps,
            hang_up=lambda room: _hang_up(ctx, deps, room),
            caller_identity=lambda: _sip_identity(ctx.room),
        )
        if prepared is None:
            log.info("call is unknown or over; leaving", extra={"call_id": str(call_id)})
            return
        finish = _finisher(prepared)
        prepared.session.on("close", lambda event: _on_close(event, finish))
        ctx.add_shutdown_callback(lambda: finish(CallStatus.COMPLETED, "room_closed"))
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
                ),
            )
        else:
            await prepared.session.start(agent=prepared.agent)
        await prepared.recorder.status(CallStatus.IN_PROGRESS)
        _enforce_time_limit(prepared, ctx, deps)
        _watch_balance(prepared, ctx, deps)
        if deps.on_ready is not None:
            ready = deps.on_ready(prepared)
            if ready is not None:
                await ready
    except Exception as error:
        log.exception("call job failed", extra={"call_id": str(call_id)})
        await calls.apply_status(
            call_id=call_id,
            status=CallStatus.FAILED,
            source=StatusSource.WORKER,
            reason=f"worker_error:{type(error).__name__}",
            bus=deps.bus,
        )
        raise


# Ends the call once, with the first status given; every caller waits for that ending.
Finish = Callable[[CallStatus, str], Coroutine[Any, Any, None]]


def _finisher(prepared: PreparedCall) -> Finish:
    ending: asyncio.Future[None] | None = None

    async def end(status: CallStatus, reason: str) -> None:
        if not prepared.recorder.ended:
            await prepared.recorder.status(status, reason=reason)

    async def finish(status: CallStatus, reason: str) -> None:
        nonlocal ending
        if ending is None:
            ending = asyncio.ensure_future(end(status, reason))
        # Whoever comes second (the session's close, or the job's shutdown) waits for the
        # ending already under way: the job process exits as soon as its shutdown
        # callbacks return, and would drop a write still in flight.
        await asyncio.shield(ending)
        await prepared.recorder.flush()

    return finish


# Tasks started from LiveKit's synchronous callbacks; held so they are not collected mid-way.
_background: set[asyncio.Task[None]] = set()


def _on_close(event: Any, finish: Finish) -> None:
    error = getattr(event, "error", None)
    if error is not None:
        outcome = finish(CallStatus.FAILED, f"session_error:{type(error).__name__}")
    else:
        outcome = finish(CallStatus.COMPLETED, "caller_hung_up")
    task = asyncio.create_task(outcome)
    _background.add(task)
    task.add_done_callback(_background.discard)


def _enforce_time_limit(prepared: PreparedCall, ctx: JobContext, deps: WorkerDeps) -> None:
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

    task = asyncio.create_task(expire())
    ctx.add_shutdown_callback(lambda: _cancel(task))


def _watch_balance(prepared: PreparedCall, ctx: JobContext, deps: WorkerDeps) -> None:
    """Every CREDIT_CHECK_INTERVAL_SECONDS: if the balance cannot cover the call until the
    next check, the agent says why and ends the call, so it never runs on credit it lacks."""
    interval = deps.settings.credit_check_interval_seconds
    organization_id = prepared.userdata.organization_id

    async def watch() -> None:
        rate = await metering.rate_for(organization_id, deps.settings)
        while not prepared.recorder.ended:
            await asyncio.sleep(interval)
            call = await Call.get(id=prepared.call.id)
            if CallStatus(call.status) in TERMINAL:
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

    task = asyncio.create_task(watch())
    _background.add(task)
    task.add_done_callback(_background.discard)
    ctx.add_shutdown_callback(lambda: _cancel(task))


async def _cancel(task: asyncio.Task[None]) -> None:
    task.cancel()


async def _hang_up(ctx: JobContext, deps: WorkerDeps, room: str | None) -> None:
    """Delete the call's room: the SIP leg drops, Twilio reports the call completed."""
    name = room or ctx.job.room.name
    if name:
        with contextlib.suppress(Exception):
            await deps.rooms.delete_room(name=name)
    ctx.shutdown(reason="call ended")


def _sip_identity(room: rtc.Room) -> str | None:
    for participant in room.remote_participants.values():
        if participant.kind == rtc.ParticipantKind.PARTICIPANT_KIND_SIP:
            return participant.identity
    return None


async def _close(deps: WorkerDeps) -> None:
    if not deps.manage_database:
        return  # borrowed resources: whoever made them closes them
    await deps.http.aclose()
    await deps.bus.close()
    close_rooms = getattr(deps.rooms, "aclose", None)
    if close_rooms is not None:
        await close_rooms()
    await Tortoise.close_connections()
