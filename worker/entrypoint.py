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
import math
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from livekit import rtc
from livekit.agents import JobContext, room_io
from tortoise import Tortoise

from core.services import calls, credits, metering
from core.services.calls import CallStatus
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
            source="worker",
            reason=f"worker_error:{type(error).__name__}",
            bus=deps.bus,
        )
        raise


def _finisher(prepared: PreparedCall):  # type: ignore[no-untyped-def]
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


def _on_close(event: Any, finish) -> None:  # type: ignore[no-untyped-def]
    error = getattr(event, "error", None)
    if error is not None:
        outcome = finish(CallStatus.FAILED, f"session_error:{type(error).__name__}")
    else:
        outcome = finish(CallStatus.COMPLETED, "caller_hung_up")
    task = asyncio.create_task(outcome)
    _background.add(task)
    task.add_done_callback(_background.discard)


def _enforce_time_limit(prepared: PreparedCall, ctx: JobContext, deps: WorkerDeps) -> None:
    limit = int(prepared.call.snapshot.get("max_call_duration_seconds") or 1800)

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
    organization_id = prepared.call.organization_id  # type: ignore[attr-defined]

    async def watch() -> None:
        rate = await metering.rate_for(organization_id, deps.settings)
        while not prepared.recorder.ended:
            await asyncio.sleep(interval)
            call = await Call.get(id=prepared.call.id)
            if call.status in ("completed", "failed", "canceled", "busy", "no_answer"):
                return
            now = datetime.now(UTC)
            answered = call.answered_at or call.created_at
            elapsed = int((now - answered).total_seconds())
            needed = metering.call_cost(elapsed + math.ceil(interval), rate)
            # The organization's other calls in progress spend the same balance, unbilled yet.
            others = await _running_cost(organization_id, call.id, now, rate)
            if await credits.balance_of(organization_id) - others >= needed:
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


async def _running_cost(
    organization_id: uuid.UUID, exclude: uuid.UUID, now: datetime, rate: metering.Rate
) -> int:
    """What the organization's other answered calls have used so far (charged when they end)."""
    answered = (
        await Call.filter(
            organization_id=organization_id, status="in_progress", answered_at__isnull=False
        )
        .exclude(id=exclude)
        .values_list("answered_at", flat=True)
    )
    return sum(metering.call_cost(int((now - at).total_seconds()), rate) for at in answered)


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
