"""Calls: creation, the status machine, and the timeline of events.

Status changes arrive from Twilio, LiveKit and the worker, in any order and
sometimes twice. They are merged, not applied: a call only moves forward
(ringing < in progress < ended), and which ending wins is a rule (`ending_wins`), not
the order of arrival: the party that ended a call on purpose (the worker transferring
or saying goodbye, a carrier answering busy) knows why and replaces what others only
saw (the caller's line leaving the room, which a transfer causes too; the room closing;
a job shutting down; the platform's guess that a silent worker was lost), which never
replaces an ending; between two decided endings the most specific status wins
(completed < canceled < no answer < busy < failed). So the report of a reason never
loses to a later or earlier observation of the same end, and a repeated signal changes
nothing.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from core import telemetry, tenancy
from core.agent_tools_cache import agent_tools_cache
from core.analysis import jobs as analysis_jobs
from core.call_events import (
    CallDirection,
    CallEventPayload,
    CallField,
    CallStatus,
    Ended,
    Started,
    StatusChanged,
    StatusSource,
    Updated,
)
from core.call_snapshot import CallSnapshot
from core.errors import DescribedEnum, NotFound, ServiceError
from core.events import Event, EventBus
from core.integrations.livekit_rooms import RoomService, TelephonyUnavailable
from core.partner_webhooks import doorbell, outbox
from core.phone_numbers import to_e164
from core.services import metering, phone_numbers
from core.settings import Settings, get_settings
from orm.models import Call, CallEvent, Organization, VoiceAgent

log = logging.getLogger(__name__)


_RANK = {status: rank for rank, status in enumerate(CallStatus)}
TERMINAL = frozenset(
    {
        CallStatus.COMPLETED,
        CallStatus.CANCELED,
        CallStatus.NO_ANSWER,
        CallStatus.BUSY,
        CallStatus.FAILED,
    }
)
ACTIVE = (CallStatus.RINGING, CallStatus.IN_PROGRESS)


class CallErrorCode(DescribedEnum):
    INVALID_NUMBER = "invalid_number", "`toNumber` is not a valid phone number."
    NO_CALLER_ID = "no_caller_id", "The agent has no phone number to call from; give it one."
    AGENT_INACTIVE = "agent_inactive", "The agent is switched off (`Agent.isActive` is false)."
    ORGANIZATION_CANNOT_CALL = (
        "organization_cannot_call",
        "The organization is suspended (`Organization.isActive` is false).",
    )
    INSUFFICIENT_CREDITS = (
        "insufficient_credits",
        "The organization's credit balance is empty; buy credits first.",
    )
    OUTBOUND_NOT_CONFIGURED = (
        "outbound_not_configured",
        "This platform has no telephony for outgoing calls configured.",
    )
    TELEPHONY_UNAVAILABLE = (
        "telephony_unavailable",
        "The call could not be placed now (the media server could not be reached); the call "
        "is recorded as FAILED. Try again shortly. A callee who is busy, does not answer or "
        "cannot be reached ends the call later, with `BUSY`, `NO_ANSWER` or `FAILED`.",
    )


def room_name(call_id: uuid.UUID) -> str:
    return f"call-{call_id.hex}"


def merge_status(current: CallStatus, incoming: CallStatus) -> CallStatus:
    """Forward only; among endings the most specific one."""
    return incoming if _RANK[incoming] > _RANK[current] else current


# Endings somebody only saw happen. The caller's line leaving the room is a hang-up or a
# transfer; a room closing or a job shutting down follows whatever ended the call; "the
# worker is gone" and "never answered" are the platform's guesses about a silent call.
INFERRED_ENDINGS = frozenset(
    {
        "caller_hung_up",
        "room_closed",
        "job_shutdown",
        "twilio_completed",
        "worker_lost",
        "never_answered",
    }
)
Ending = tuple[CallStatus, str | None]


def ending_wins(*, current: Ending, incoming: Ending) -> bool:
    """Whether `incoming` replaces the ending `current` of a call that has ended.

    An inference adds nothing to a call that has ended; the party that decided the end
    replaces an inference (its status too: a worker that records its transfer was not
    lost); between two decided endings the more specific status wins.
    """
    if incoming[1] in INFERRED_ENDINGS:
        return False
    if current[1] in INFERRED_ENDINGS and incoming[1] is not None:
        return True
    # Decided endings, and signals that name no reason: the more specific status.
    return _RANK[incoming[0]] > _RANK[current[0]]


# --- timeline -----------------------------------------------------------------------------


async def record_event(
    *, call_id: uuid.UUID, payload: CallEventPayload, bus: EventBus | None
) -> Event | None:
    """Append one event to the call's timeline, then publish it."""

    async def fixed(call: Call) -> CallEventPayload:
        return payload

    return await record_written(call_id=call_id, write=fixed, bus=bus)


async def record_written(
    *,
    call_id: uuid.UUID,
    write: Callable[[Call], Awaitable[CallEventPayload | None]],
    bus: EventBus | None,
) -> Event | None:
    """In one transaction holding the call's row, `write` stores what an event reports and
    returns the event (None: nothing to record); the event is appended to the timeline in
    that transaction and published after it commits. A result and its event (an analysis
    and `call.analyzed`) are then both recorded or neither is."""
    event: Event | None = None
    async with in_transaction():
        call = await Call.filter(id=call_id).select_for_update().first()
        if call is None:
            return None
        payload = await write(call)
        if payload is not None:
            event = await _append(call, payload)
    await _announce(event, bus)
    return event


async def _announce(event: Event | None, bus: EventBus | None) -> None:
    """After the transaction that recorded `event` committed: wake the partner webhook
    dispatchers and publish it."""
    if event is None:
        return
    doorbell.ring()
    if bus is not None:
        await bus.publish(event)


async def _create_ringing(*, source: StatusSource, bus: EventBus | None, **fields: Any) -> Call:
    """Insert a ringing call and its first event (`ringing`) in one transaction, then
    announce the event: a call is never seen without its first event."""
    async with in_transaction():
        call = await Call.create(status=CallStatus.RINGING.value, **fields)
        event = await _append(
            call, StatusChanged(status=CallStatus.RINGING, previous_status=None, source=source)
        )
    await _announce(event, bus)
    return call


async def _append(call: Call, payload: CallEventPayload) -> Event | None:
    """Inside a transaction holding the call's row: number and store one event."""
    seq = call.last_event_seq + 1
    now = datetime.now(UTC)
    # One id for the stored row and the published envelope, so subscribers can de-duplicate.
    event_id = uuid.uuid4()
    await CallEvent.create(
        id=event_id,
        call_id=call.id,
        organization_id=call.organization_id,
        seq=seq,
        type=payload.event_type.value,
        occurred_at=now,
        data=payload.to_data(),
    )
    await Call.filter(id=call.id).update(last_event_seq=seq)
    call.last_event_seq = seq
    if call.organization_id is None:
        return None  # nobody may subscribe to a call without an organization
    event = Event(
        id=event_id,
        organization_id=call.organization_id,
        agent_id=call.agent_id,
        call_id=call.id,
        seq=seq,
        occurred_at=now,
        payload=payload,
    )
    # The partner webhooks it owes, in the same transaction: recorded means delivered.
    await outbox.enqueue_for_event(call, event)
    return event


async def apply_status(
    *,
    call_id: uuid.UUID,
    status: CallStatus,
    source: StatusSource,
    bus: EventBus | None,
    reason: str | None = None,
    duration_seconds: int | None = None,
    settings: Settings | None = None,
) -> Call | None:
    """Merge a status signal into the call; records and publishes only real changes.

    The transition into an ending also charges the call, in the same transaction:
    a call cannot end without its charge, nor be charged twice.
    """
    source = StatusSource(source)  # a misspelt plain value fails here, before any write
    published: list[Event | None] = []
    async with in_transaction():
        call = await Call.filter(id=call_id).select_for_update().first()
        if call is None:
            return None
        current = CallStatus(call.status)
        if current in TERMINAL and status in TERMINAL:
            ended: Ending = (current, call.ended_reason)
            winner = ending_wins(current=ended, incoming=(status, reason))
            merged = status if winner else current
        else:
            winner, merged = False, merge_status(current, status)
        if merged != current:
            published += await _move(
                call,
                current,
                merged,
                source=source,
                reason=reason,
                duration_seconds=duration_seconds,
                settings=settings or get_settings(),
            )
        elif winner:
            published.append(await _update_reason(call, reason, source=source))
        elif (
            # A later, more precise duration (Twilio's) may still complete an ended call
            # that was answered; dashboards show the duration, so the change is recorded
            # and published too. A call nobody answered stays at 0: Twilio's duration of
            # the caller's leg is then ringing and an apology.
            duration_seconds is not None
            and current in TERMINAL
            and call.answered_at is not None
            and call.duration_seconds != duration_seconds
            and source is StatusSource.TWILIO
        ):
            published.append(await _update_duration(call, duration_seconds, source=source))
    if merged in TERMINAL and current not in TERMINAL:
        telemetry.calls_ended.add(1, {"direction": call.direction, "status": merged.value})
    if any(event is not None for event in published):
        doorbell.ring()
    if bus is not None:
        for event in published:
            if event is not None:
                await bus.publish(event)
    return call


async def _move(
    call: Call,
    current: CallStatus,
    merged: CallStatus,
    *,
    source: StatusSource,
    reason: str | None,
    duration_seconds: int | None,
    settings: Settings,
) -> list[Event | None]:
    """Inside the transaction holding the call's row: move it to `merged`, charge it if
    that ends it, and record what changed."""
    now = datetime.now(UTC)
    call.status = merged.value
    if merged == CallStatus.IN_PROGRESS or (
        merged in TERMINAL and call.answered_at is None and current == CallStatus.IN_PROGRESS
    ):
        call.answered_at = call.answered_at or now
    if merged in TERMINAL:
        call.ended_at = call.ended_at or now
        call.ended_reason = reason or call.ended_reason or merged.value
        if duration_seconds is not None:
            call.duration_seconds = duration_seconds
        elif call.answered_at is not None:
            call.duration_seconds = max(0, int((call.ended_at - call.answered_at).total_seconds()))
        else:
            call.duration_seconds = 0
    await call.save()
    recorded = [
        await _append(
            call,
            StatusChanged(status=merged, previous_status=current, source=source, reason=reason),
        )
    ]
    if merged == CallStatus.IN_PROGRESS:  # forward only: a call is answered once
        recorded.append(
            await _append(
                call,
                Started(
                    direction=CallDirection(call.direction),
                    from_number=call.from_number,
                    to_number=call.to_number,
                    source=source,
                ),
            )
        )
    if merged in TERMINAL and current not in TERMINAL:
        await metering.charge_ended_call(call, settings)
        # Queued, never run, here: the end and its charge do not wait for the analysis.
        await analysis_jobs.queue_in_transaction(call, settings)
        recorded.append(
            await _append(
                call,
                Ended(
                    status=merged,
                    reason=call.ended_reason,
                    duration_seconds=call.duration_seconds,
                ),
            )
        )
    return recorded


async def _update_reason(call: Call, reason: str | None, *, source: StatusSource) -> Event | None:
    """Inside the transaction holding the ended call's row: the party that decided the end
    says why, after an inference was recorded (see `ending_wins`)."""
    previous = call.ended_reason
    call.ended_reason = reason
    await call.save(update_fields=["ended_reason", "updated_at"])
    return await _append(
        call,
        Updated(
            changed_fields=(CallField.ENDED_REASON,),
            source=source,
            duration_seconds=call.duration_seconds,
            previous_duration_seconds=call.duration_seconds,
            ended_reason=reason,
            previous_ended_reason=previous,
        ),
    )


async def _update_duration(
    call: Call, duration_seconds: int, *, source: StatusSource
) -> Event | None:
    """Inside the transaction holding the ended call's row: take the later duration."""
    previous = call.duration_seconds
    call.duration_seconds = duration_seconds
    await call.save(update_fields=["duration_seconds", "updated_at"])
    return await _append(
        call,
        Updated(
            changed_fields=(CallField.DURATION_SECONDS,),
            source=source,
            duration_seconds=duration_seconds,
            previous_duration_seconds=previous,
        ),
    )


# --- inbound ------------------------------------------------------------------------------


@dataclass(frozen=True)
class InboundDecision:
    call: Call
    # None: refuse politely and hang up; otherwise dial this LiveKit room over SIP.
    room: str | None


async def start_inbound(
    *,
    twilio_call_sid: str,
    from_number: str,
    to_number: str,
    rooms: RoomService,
    settings: Settings,
    bus: EventBus | None,
) -> InboundDecision:
    """A call reached one of our numbers: decide, record, and prepare its room.

    The request reaches the organization holding the number dialled; a call to a number
    nobody holds is recorded without an organization, for platform admins only."""
    dialled = to_e164(to_number, default_region=settings.default_phone_region) or to_number
    holder = await tenancy.number_holder(dialled)
    if holder is None:
        with tenancy.platform_scope("a call to a number no organization holds"):
            return await _start_inbound(twilio_call_sid, from_number, dialled, rooms=rooms, bus=bus)
    tenancy.admit([holder])
    return await _start_inbound(twilio_call_sid, from_number, dialled, rooms=rooms, bus=bus)


async def _start_inbound(
    twilio_call_sid: str,
    from_number: str,
    dialled: str,
    *,
    rooms: RoomService,
    bus: EventBus | None,
) -> InboundDecision:
    existing = await Call.get_or_none(twilio_call_sid=twilio_call_sid)
    if existing is not None:
        return _retried(existing)
    # Through the number's holder: a number reaches only the agent its organization assigned.
    route = await phone_numbers.route(dialled)
    agent = route.agent
    refusal = _refusal(agent) if route.organization_id else "unknown_number"
    fields: dict[str, Any] = {
        "id": uuid.uuid4(),
        "organization_id": route.organization_id,
        "agent": agent,
        "direction": "inbound",
        "from_number": from_number[:32],
        "to_number": dialled[:32],
        "twilio_call_sid": twilio_call_sid,
    }
    try:
        if refusal is not None:
            call = await Call.create(status=CallStatus.RINGING.value, snapshot={}, **fields)
        else:
            assert agent is not None  # no refusal: the number has an agent
            snapshot = await agent_tools_cache.snapshot(agent)
            call = await _create_ringing(
                source=StatusSource.TWILIO, bus=bus, snapshot=snapshot.as_stored(), **fields
            )
    except IntegrityError:  # the same webhook delivered twice at once: the other one won
        return _retried(await Call.get(twilio_call_sid=twilio_call_sid))
    telemetry.calls_started.add(1, {"direction": "inbound"})
    if refusal is not None:
        await apply_status(
            call_id=call.id,
            status=CallStatus.FAILED,
            source=StatusSource.PLATFORM,
            reason=refusal,
            bus=bus,
        )
        return InboundDecision(call, None)
    if not await _open_room(call, rooms=rooms, bus=bus):
        await call.refresh_from_db()  # failed meanwhile: the answer depends on the reason
        return InboundDecision(call, None)
    return InboundDecision(call, call.livekit_room)


def _retried(existing: Call) -> InboundDecision:
    """Twilio retried the webhook: answer the same way (the room may still be opening)."""
    if existing.status in TERMINAL or not existing.snapshot:  # ended, or being refused
        return InboundDecision(existing, None)
    return InboundDecision(existing, existing.livekit_room or room_name(existing.id))


def _refusal(agent: VoiceAgent | None) -> str | None:
    if agent is None:  # the organization holds the number but gave it to no agent
        return "no_agent"
    if not agent.is_active:
        return "agent_inactive"
    organization: Organization = agent.organization
    if not organization.is_active:
        return "organization_inactive"
    if organization.credit_balance <= 0:
        return "insufficient_credits"
    return None


async def _open_room(call: Call, *, rooms: RoomService, bus: EventBus | None) -> bool:
    name = room_name(call.id)
    try:
        with telemetry.tracer.start_as_current_span(
            "call.open_room", attributes={"call.id": str(call.id), "livekit.room": name}
        ):
            # The worker's job continues this trace: the metadata reaches it with the dispatch.
            metadata = {
                "call_id": str(call.id),
                "organization_id": str(call.organization_id),
                **telemetry.trace_context(),
            }
            await rooms.create_room(
                name=name,
                metadata=metadata,
                max_duration=CallSnapshot.from_stored(call.snapshot).max_call_duration_seconds,
            )
    except TelephonyUnavailable as failure:
        log.error(
            "could not open the call's room",
            extra={"call_id": str(call.id), "reason": str(failure)},
        )
        await apply_status(
            call_id=call.id,
            status=CallStatus.FAILED,
            source=StatusSource.PLATFORM,
            reason="livekit_unavailable",
            bus=bus,
        )
        return False
    await Call.filter(id=call.id).update(livekit_room=name)
    call.livekit_room = name
    return True


# --- outbound -----------------------------------------------------------------------------


async def start_outbound(
    *,
    agent: VoiceAgent,
    to_number: str,
    rooms: RoomService,
    settings: Settings,
    bus: EventBus | None,
) -> Call:
    """Place a call from the agent's number; failures are payload errors."""
    e164 = to_e164(to_number, default_region=settings.default_phone_region)
    if e164 is None:
        raise ServiceError.single(
            CallErrorCode.INVALID_NUMBER,
            "Enter a valid phone number, such as +14155550123.",
            "to_number",
        )
    from_number = await phone_numbers.e164_of(agent)
    if not from_number:
        raise ServiceError.single(
            CallErrorCode.NO_CALLER_ID, "Give the agent a phone number to call from.", "agent_id"
        )
    if not agent.is_active:
        raise ServiceError.single(
            CallErrorCode.AGENT_INACTIVE, "The agent is switched off.", "agent_id"
        )
    organization = await Organization.get(id=agent.organization_id)
    if not organization.is_active:
        raise ServiceError.single(
            CallErrorCode.ORGANIZATION_CANNOT_CALL, "This organization cannot place calls."
        )
    if organization.credit_balance <= 0:
        raise ServiceError.single(
            CallErrorCode.INSUFFICIENT_CREDITS, "The credit balance is empty. Buy credits first."
        )
    if not settings.livekit_sip_outbound_trunk_id:
        raise ServiceError.single(
            CallErrorCode.OUTBOUND_NOT_CONFIGURED,
            "Outgoing calls are not configured on this platform.",
        )
    snapshot = await agent_tools_cache.snapshot(agent)
    call = await _create_ringing(
        source=StatusSource.PLATFORM,
        bus=bus,
        id=uuid.uuid4(),
        organization=organization,
        agent=agent,
        direction="outbound",
        from_number=from_number,
        to_number=e164,
        snapshot=snapshot.as_stored(),
    )
    telemetry.calls_started.add(1, {"direction": "outbound"})
    if not await _open_room(call, rooms=rooms, bus=bus):
        raise ServiceError.single(
            CallErrorCode.TELEPHONY_UNAVAILABLE,
            "The call could not be placed now. Try again shortly.",
        )
    # The worker dispatched to the room rings the callee and waits for the answer
    # (worker/outbound.py): the call stays ringing until they pick up, and ends busy,
    # no_answer or failed with the SIP status if they do not.
    return call


# --- reading ------------------------------------------------------------------------------


async def get(*, organization_id: uuid.UUID, call_id: uuid.UUID) -> Call:
    call = await Call.get_or_none(id=call_id, organization_id=organization_id)
    if call is None:
        raise NotFound("Call")
    return call


def get_all(
    *,
    organization_id: uuid.UUID,
    agent_id: uuid.UUID | None = None,
    statuses: list[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[Call]:
    """The organization's calls, filtered (a queryset, for pagination)."""
    query = Call.filter(organization_id=organization_id)
    if agent_id is not None:
        query = query.filter(agent_id=agent_id)
    if statuses:
        query = query.filter(status__in=statuses)
    if since is not None:
        query = query.filter(created_at__gte=since)
    if until is not None:
        query = query.filter(created_at__lt=until)
    return query


async def get_active(*, organization_id: uuid.UUID) -> list[Call]:
    return await Call.filter(
        Q(status__in=[s.value for s in ACTIVE]), organization_id=organization_id
    ).order_by("-created_at")


async def events_after(*, call_id: uuid.UUID, after_seq: int, limit: int = 500) -> list[CallEvent]:
    return await CallEvent.filter(call_id=call_id, seq__gt=after_seq).order_by("seq").limit(limit)


# --- when nobody is left to talk to the caller -------------------------------------------


async def worker_left(
    *, call_id: uuid.UUID, room: str, rooms: RoomService, bus: EventBus | None
) -> Call | None:
    """The worker's participant left the call's room (LiveKit says so).

    A call still under way then has nobody talking to its caller: its job died. It ends
    `failed` / `worker_lost` (unless the worker recorded its own ending meanwhile: see
    `ending_wins`), and the room is deleted so that the caller's line drops instead of
    staying silent. After a transfer the room stays: the caller and the person they were
    handed to may be talking in it. Another room that names the call (a warm transfer's
    consultation) is none of this.
    """
    call = await Call.get_or_none(id=call_id)
    if call is None or call.livekit_room != room:
        return None
    await apply_status(
        call_id=call.id,
        status=CallStatus.FAILED,
        source=StatusSource.LIVEKIT,
        reason="worker_lost",
        bus=bus,
    )
    call = await Call.get(id=call.id)
    if call.ended_reason != "transferred":
        await _delete_room(call, rooms)
    return call


# Twilio's DialCallStatus for a bridge into the call's room that nobody took
# (https://www.twilio.com/docs/voice/twiml/dial#action), and the reason the call ends with.
BRIDGE_FAILURES = {
    "no-answer": "bridge_no_answer",
    "busy": "bridge_busy",
    "failed": "bridge_failed",
}


async def bridge_unanswered(
    *, twilio_call_sid: str, dial_status: str, rooms: RoomService, bus: EventBus | None
) -> Call | None:
    """Twilio's `<Dial>` into the call's room ended without anyone answering: the call
    fails with the reason, and its room goes (a worker arriving late finds nobody)."""
    call = await Call.get_or_none(twilio_call_sid=twilio_call_sid)
    if call is None:
        return None
    await apply_status(
        call_id=call.id,
        status=CallStatus.FAILED,
        source=StatusSource.TWILIO,
        reason=BRIDGE_FAILURES[dial_status],
        bus=bus,
    )
    await _delete_room(call, rooms)
    return await Call.get(id=call.id)


async def _delete_room(call: Call, rooms: RoomService | None) -> None:
    """Hang up whoever is still in the call's room; a room LiveKit cannot delete now closes
    on its own once empty (its departure and empty timeouts)."""
    if rooms is None or not call.livekit_room:
        return
    try:
        await rooms.delete_room(name=call.livekit_room)
    except TelephonyUnavailable as failure:
        log.warning(
            "could not delete the call's room",
            extra={"call_id": str(call.id), "reason": str(failure)},
        )


# --- janitor ------------------------------------------------------------------------------

RINGING_LIMIT_SECONDS = 600
# How long past its time limit a call may last: the worker says goodbye at the limit; the
# janitor, Twilio's <Dial timeLimit> and LiveKit's SIP max call duration act after this.
GRACE_SECONDS = 120


def hard_limit_seconds(snapshot: CallSnapshot) -> int:
    """The most a call may last before the platform cuts it, whatever its worker does."""
    return snapshot.max_call_duration_seconds + GRACE_SECONDS


async def fail_abandoned(
    *, bus: EventBus | None, rooms: RoomService | None = None, now: datetime | None = None
) -> int:
    """Fail calls whose worker vanished (never answered, or past their time limit), and
    delete their rooms so that no caller stays on a silent line."""
    now = now or datetime.now(UTC)
    failed = 0
    with tenancy.platform_scope("call janitor: the calls under way"):
        under_way = await Call.filter(status__in=[s.value for s in ACTIVE]).only(
            "id",
            "organization_id",
            "status",
            "created_at",
            "answered_at",
            "snapshot",
            "livekit_room",
        )
    for call in under_way:
        limit = hard_limit_seconds(CallSnapshot.from_stored(call.snapshot))
        if call.status == CallStatus.RINGING.value:
            abandoned = (now - call.created_at).total_seconds() > RINGING_LIMIT_SECONDS
            reason = "never_answered"
        else:
            started = call.answered_at or call.created_at
            abandoned = (now - started).total_seconds() > limit
            reason = "worker_lost"
        if abandoned:
            await _fail_found_call(call, reason, bus=bus, rooms=rooms)
            failed += 1
    return failed


async def _fail_found_call(
    call: Call,
    reason: str,
    *,
    bus: EventBus | None,
    rooms: RoomService | None,
    settings: Settings | None = None,
) -> bool:
    """End a call the janitor found, `failed` with `reason`, and delete its room; whether
    this pass ended it (another replica may have got there first). Ending it (its charge,
    the mail about the balance) is its organization's work: in that scope only."""
    with tenancy.tenant_scope([call.organization_id]):
        ended = await apply_status(
            call_id=call.id,
            status=CallStatus.FAILED,
            source=StatusSource.PLATFORM,
            reason=reason,
            bus=bus,
            settings=settings,
        )
    if ended is None or ended.ended_reason != reason:
        return False
    await _delete_room(ended, rooms)
    return True


NO_WORKER = "no_worker"


def no_worker_deadline_seconds(settings: Settings) -> float:
    """How long an outgoing call may ring before the platform decides no worker took it:
    the callee's phone may ring this long once the worker dialled (LiveKit cancels the
    dial-out then), plus the time the job may take to be dispatched, start and dial.
    Nothing in the record shows that dialling began, so the rule waits for the latest a
    dial-out that is ringing can end, and never cuts one short."""
    return settings.outbound_ringing_timeout_seconds + settings.outbound_dispatch_margin_seconds


async def fail_unclaimed_outbound(
    *,
    bus: EventBus | None,
    settings: Settings,
    rooms: RoomService | None = None,
    now: datetime | None = None,
) -> int:
    """End outgoing calls that no worker took: still ringing past `no_worker_deadline_seconds`
    after `callCreate`. They fail with `no_worker` (never answered, so never charged) and
    their rooms go, so that a worker arriving late finds the call over and leaves."""
    now = now or datetime.now(UTC)
    deadline = now - timedelta(seconds=no_worker_deadline_seconds(settings))
    failed = 0
    with tenancy.platform_scope("call janitor: outgoing calls no worker took"):
        unclaimed = await Call.filter(
            direction="outbound", status=CallStatus.RINGING.value, created_at__lt=deadline
        ).only("id", "organization_id")
    for call in unclaimed:
        if await _fail_found_call(call, NO_WORKER, bus=bus, rooms=rooms, settings=settings):
            failed += 1
    return failed
