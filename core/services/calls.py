"""Calls: creation, the status machine, and the timeline of events.

Status changes arrive from Twilio, LiveKit and the worker, in any order and
sometimes twice. They are merged, not applied: a call only moves forward
(ringing < in progress < ended), and among endings the most specific wins
(completed < canceled < no answer < busy < failed), so any order of the same
signals leaves the same final record, and a repeated signal changes nothing.
"""

from __future__ import annotations

import enum
import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from core import events
from core.errors import NotFound, ServiceError
from core.events import Event, EventBus
from core.integrations.livekit_rooms import RoomService, TelephonyUnavailable
from core.phone_numbers import to_e164
from core.services import metering
from core.settings import Settings, get_settings
from orm.models import AgentCustomFunction, AgentTool, Call, CallEvent, Organization, VoiceAgent

log = logging.getLogger(__name__)


class CallStatus(enum.StrEnum):
    RINGING = "ringing"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELED = "canceled"
    NO_ANSWER = "no_answer"
    BUSY = "busy"
    FAILED = "failed"


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


class CallErrorCode(enum.Enum):
    INVALID_NUMBER = "invalid_number"
    NO_CALLER_ID = "no_caller_id"
    AGENT_INACTIVE = "agent_inactive"
    ORGANIZATION_CANNOT_CALL = "organization_cannot_call"
    INSUFFICIENT_CREDITS = "insufficient_credits"
    OUTBOUND_NOT_CONFIGURED = "outbound_not_configured"
    TELEPHONY_UNAVAILABLE = "telephony_unavailable"


def room_name(call_id: uuid.UUID) -> str:
    return f"call-{call_id.hex}"


def merge_status(current: CallStatus, incoming: CallStatus) -> CallStatus:
    """Forward only; among endings the most specific one."""
    return incoming if _RANK[incoming] > _RANK[current] else current


# --- snapshot -----------------------------------------------------------------------------


async def snapshot_of(agent: VoiceAgent) -> dict[str, Any]:
    """What the call runs with; later edits to the agent apply to the next call only."""
    tools: dict[str, list[str]] = {}
    rows = await AgentTool.filter(
        agent_id=agent.id, is_enabled=True, tool__is_active=True, tool__is_available=True
    ).select_related("tool")
    for row in rows:
        disabled = set(row.unselected_functions or [])
        tools[row.tool.name] = sorted(
            f["name"] for f in row.tool.tool_functions_schema or [] if f["name"] not in disabled
        )
    custom = await AgentCustomFunction.filter(
        agent_id=agent.id, function__is_active=True
    ).values_list("function__name", flat=True)
    return {
        "agent_name": agent.name,
        "system_prompt": agent.system_prompt,
        "greeting": agent.greeting,
        "voice": agent.voice,
        "language": agent.language,
        "max_call_duration_seconds": agent.max_call_duration_seconds,
        "transfer_to": agent.transfer_to,
        "tools": tools,
        "custom_functions": sorted(custom),
    }


# --- timeline -----------------------------------------------------------------------------


async def record_event(
    *, call_id: uuid.UUID, type: str, data: dict[str, Any], bus: EventBus | None
) -> Event | None:
    """Append one event to the call's timeline, then publish it."""
    async with in_transaction():
        call = await Call.filter(id=call_id).select_for_update().first()
        if call is None:
            return None
        event = await _append(call, type, data)
    if bus is not None and event is not None:
        await bus.publish(event)
    return event


async def _append(call: Call, type: str, data: dict[str, Any]) -> Event | None:
    """Inside a transaction holding the call's row: number and store one event."""
    seq = call.last_event_seq + 1
    now = datetime.now(UTC)
    # One id for the stored row and the published envelope, so subscribers can de-duplicate.
    event_id = uuid.uuid4()
    await CallEvent.create(
        id=event_id,
        call_id=call.id,
        organization_id=call.organization_id,  # type: ignore[attr-defined]
        seq=seq,
        type=type,
        occurred_at=now,
        data=data,
    )
    await Call.filter(id=call.id).update(last_event_seq=seq)
    call.last_event_seq = seq
    if call.organization_id is None:  # type: ignore[attr-defined]
        return None  # nobody may subscribe to a call without an organization
    return Event(
        id=event_id,
        type=type,
        organization_id=call.organization_id,  # type: ignore[attr-defined]
        agent_id=call.agent_id,
        call_id=call.id,
        seq=seq,
        occurred_at=now,
        data=data,  # type: ignore[attr-defined]
    )


async def apply_status(
    *,
    call_id: uuid.UUID,
    status: CallStatus,
    source: str,
    bus: EventBus | None,
    reason: str | None = None,
    duration_seconds: int | None = None,
    settings: Settings | None = None,
) -> Call | None:
    """Merge a status signal into the call; records and publishes only real changes.

    The transition into an ending also charges the call, in the same transaction:
    a call cannot end without its charge, nor be charged twice.
    """
    published: list[Event] = []
    async with in_transaction():
        call = await Call.filter(id=call_id).select_for_update().first()
        if call is None:
            return None
        current = CallStatus(call.status)
        merged = merge_status(current, status)
        now = datetime.now(UTC)
        if merged == current:
            # A later, more precise duration (Twilio's) may still complete an ended call.
            if (
                duration_seconds is not None
                and current in TERMINAL
                and call.duration_seconds != duration_seconds
                and source == "twilio"
            ):
                call.duration_seconds = duration_seconds
                await call.save(update_fields=["duration_seconds", "updated_at"])
            return call
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
                call.duration_seconds = max(
                    0, int((call.ended_at - call.answered_at).total_seconds())
                )
            else:
                call.duration_seconds = 0
        await call.save()
        changed = await _append(
            call,
            events.CALL_STATUS_CHANGED,
            {"from": current.value, "to": merged.value, "source": source, "reason": reason},
        )
        if changed:
            published.append(changed)
        if merged in TERMINAL and current not in TERMINAL:
            await metering.charge_ended_call(call, settings or get_settings())
            ended = await _append(
                call,
                events.CALL_ENDED,
                {
                    "status": merged.value,
                    "reason": call.ended_reason,
                    "duration_seconds": call.duration_seconds,
                },
            )
            if ended:
                published.append(ended)
    if bus is not None:
        for event in published:
            await bus.publish(event)
    return call


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
    """A call reached one of our numbers: decide, record, and prepare its room."""
    existing = await Call.get_or_none(twilio_call_sid=twilio_call_sid)
    if existing is not None:
        return _retried(existing)
    dialled = to_e164(to_number, default_region=settings.default_phone_region) or to_number
    agent = await VoiceAgent.get_or_none(phone_number=dialled).select_related("organization")
    refusal = _refusal(agent)
    try:
        call = await Call.create(
            id=uuid.uuid4(),
            organization_id=agent.organization_id if agent else None,  # type: ignore[union-attr,attr-defined]
            agent=agent,
            direction="inbound",
            from_number=from_number[:32],
            to_number=dialled[:32],
            status=CallStatus.RINGING.value,
            twilio_call_sid=twilio_call_sid,
            snapshot=await snapshot_of(agent) if agent and refusal is None else {},
        )
    except IntegrityError:  # the same webhook delivered twice at once: the other one won
        return _retried(await Call.get(twilio_call_sid=twilio_call_sid))
    if refusal is not None:
        await apply_status(
            call_id=call.id, status=CallStatus.FAILED, source="platform", reason=refusal, bus=bus
        )
        return InboundDecision(call, None)
    await record_event(
        call_id=call.id,
        type=events.CALL_STATUS_CHANGED,
        data={"from": None, "to": "ringing", "source": "twilio"},
        bus=bus,
    )
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
    if agent is None:
        return "unknown_number"
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
    metadata = {"call_id": str(call.id), "organization_id": str(call.organization_id)}  # type: ignore[attr-defined]
    try:
        await rooms.create_room(
            name=name,
            metadata=metadata,
            max_duration=int(call.snapshot.get("max_call_duration_seconds") or 1800),
        )
    except TelephonyUnavailable as failure:
        log.error(
            "could not open the call's room",
            extra={"call_id": str(call.id), "reason": str(failure)},
        )
        await apply_status(
            call_id=call.id,
            status=CallStatus.FAILED,
            source="platform",
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
            "toNumber",
        )
    if not agent.phone_number:
        raise ServiceError.single(
            CallErrorCode.NO_CALLER_ID, "Give the agent a phone number to call from.", "agentId"
        )
    if not agent.is_active:
        raise ServiceError.single(
            CallErrorCode.AGENT_INACTIVE, "The agent is switched off.", "agentId"
        )
    organization = await Organization.get(id=agent.organization_id)  # type: ignore[attr-defined]
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
    call = await Call.create(
        id=uuid.uuid4(),
        organization=organization,
        agent=agent,
        direction="outbound",
        from_number=agent.phone_number,
        to_number=e164,
        status=CallStatus.RINGING.value,
        snapshot=await snapshot_of(agent),
    )
    await record_event(
        call_id=call.id,
        type=events.CALL_STATUS_CHANGED,
        data={"from": None, "to": "ringing", "source": "platform"},
        bus=bus,
    )
    unavailable = ServiceError.single(
        CallErrorCode.TELEPHONY_UNAVAILABLE, "The call could not be placed now. Try again shortly."
    )
    if not await _open_room(call, rooms=rooms, bus=bus):
        raise unavailable
    try:
        await rooms.dial_out(
            room=call.livekit_room or "", to_number=e164, identity=f"callee-{secrets.token_hex(4)}"
        )
    except TelephonyUnavailable as failure:
        log.error("dial-out failed", extra={"call_id": str(call.id), "reason": str(failure)})
        await apply_status(
            call_id=call.id,
            status=CallStatus.FAILED,
            source="platform",
            reason="dial_out_failed",
            bus=bus,
        )
        raise unavailable from None
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


# --- janitor ------------------------------------------------------------------------------

RINGING_LIMIT_SECONDS = 600
GRACE_SECONDS = 120


async def fail_abandoned(*, bus: EventBus | None, now: datetime | None = None) -> int:
    """Fail calls whose worker vanished: never answered, or past their time limit."""
    now = now or datetime.now(UTC)
    failed = 0
    for call in await Call.filter(status__in=[s.value for s in ACTIVE]).only(
        "id", "status", "created_at", "answered_at", "snapshot"
    ):
        limit = int((call.snapshot or {}).get("max_call_duration_seconds") or 1800)
        if call.status == CallStatus.RINGING.value:
            abandoned = (now - call.created_at).total_seconds() > RINGING_LIMIT_SECONDS
            reason = "never_answered"
        else:
            started = call.answered_at or call.created_at
            abandoned = (now - started).total_seconds() > limit + GRACE_SECONDS
            reason = "worker_lost"
        if abandoned:
            await apply_status(
                call_id=call.id, status=CallStatus.FAILED, source="platform", reason=reason, bus=bus
            )
            failed += 1
    return failed
