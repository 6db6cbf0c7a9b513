"""Call events: the closed set of things that happen on a call, one typed payload each.

A call's timeline (`call_events`), the bus, the GraphQL subscriptions and partner webhooks
all carry these payloads. Each payload class names its `CallEventType` and converts itself
to and from the JSON stored in `call_events.data` and published inside the bus envelope
(core/events.py). The stored keys are the ones written since the first release, so old
rows read as they always did: never rename a stored key or an enum value, add new ones.

Adding a type: a member of `CallEventType`, one payload class below (registered by its
`event_type`), the code that emits it, and its GraphQL object type in
graphql_api/calls/events.py (a test fails while one is missing). Add the type to
`DASHBOARD_TYPES` when a dashboard's list of calls should change with it.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Self

from core.analysis.result import AnalysisResult


class CallStatus(enum.StrEnum):
    """Where a call stands. Defined here because events carry it; core.services.calls
    holds the rules that move a call from one to the next."""

    RINGING = "ringing"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    CANCELED = "canceled"
    NO_ANSWER = "no_answer"
    BUSY = "busy"
    FAILED = "failed"


class CallEventType(enum.StrEnum):
    """Every kind of call event; the values are the stored and published names."""

    STATUS_CHANGED = "call.status_changed"
    TRANSCRIPT_SEGMENT = "call.transcript"
    TOOL_INVOKED = "call.tool_invoked"
    TRANSFER = "call.transfer"
    TRANSFER_STARTED = "call.transfer_started"
    TRANSFER_BRIEFING = "call.transfer_briefing"
    ENDED = "call.ended"
    UPDATED = "call.updated"
    ANALYZED = "call.analyzed"
    STARTED = "call.started"


# What a dashboard's stream of an organization's calls carries (organizationCallUpdates):
# the events that change a row of its list of calls. Transcripts and tool calls stay on the
# call's own stream. The analysis comes after the call's own stream completed (at ENDED),
# and a list of calls shows its outcome: it is here.
DASHBOARD_TYPES: frozenset[CallEventType] = frozenset(
    {
        CallEventType.STATUS_CHANGED,
        CallEventType.ENDED,
        CallEventType.UPDATED,
        CallEventType.ANALYZED,
    }
)


class CallDirection(enum.StrEnum):
    """Who placed a call (`calls.direction`)."""

    INBOUND = "inbound"
    OUTBOUND = "outbound"


class StatusSource(enum.StrEnum):
    """Who reported a change of a call."""

    TWILIO = "twilio"
    LIVEKIT = "livekit"
    WORKER = "worker"
    PLATFORM = "platform"


class Speaker(enum.StrEnum):
    CALLER = "caller"
    AGENT = "agent"


class ToolOutcome(enum.StrEnum):
    OK = "ok"
    ERROR = "error"
    TIMEOUT = "timeout"


class TransferOutcome(enum.StrEnum):
    TRANSFERRED = "transferred"
    FAILED = "failed"
    BUSY = "busy"
    NO_ANSWER = "no_answer"
    DECLINED = "declined"


class TransferMode(enum.StrEnum):
    """Cold: the caller is handed over at once (SIP REFER). Warm: the agent calls the person
    first, briefs them, and connects the caller only if they take the call."""

    COLD = "cold"
    WARM = "warm"


class CallField(enum.StrEnum):
    """A field of a call that can change after it ended."""

    DURATION_SECONDS = "duration_seconds"
    ENDED_REASON = "ended_reason"


_PAYLOADS: dict[CallEventType, type[CallEventPayload]] = {}


@dataclass(frozen=True)
class CallEventPayload:
    """What one event says; subclasses name their type: `class X(CallEventPayload,
    event_type=CallEventType.X)`."""

    event_type: ClassVar[CallEventType]

    def __init_subclass__(cls, *, event_type: CallEventType, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if event_type in _PAYLOADS:
            raise TypeError(f"{event_type} already has a payload: {_PAYLOADS[event_type]}")
        cls.event_type = event_type
        _PAYLOADS[event_type] = cls

    def to_data(self) -> dict[str, Any]:
        """The JSON stored in call_events.data and published as the envelope's `data`."""
        raise NotImplementedError

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Self:
        """Read what `to_data` wrote (ValueError, KeyError or TypeError when it is not)."""
        raise NotImplementedError


def payload_class(event_type: CallEventType) -> type[CallEventPayload]:
    return _PAYLOADS[event_type]


def decode(event_type: str, data: Mapping[str, Any]) -> CallEventPayload:
    """The typed payload of a stored or published event.

    Raises ValueError for an unknown type, and ValueError, KeyError or TypeError for data
    that is not that type's.
    """
    if not isinstance(data, Mapping):
        raise TypeError("event data is not an object")
    return _PAYLOADS[CallEventType(event_type)].from_data(data)


def _optional_str(value: Any) -> str | None:
    return None if value is None else str(value)


def _optional_int(value: Any) -> int | None:
    return None if value is None else int(value)


@dataclass(frozen=True)
class StatusChanged(CallEventPayload, event_type=CallEventType.STATUS_CHANGED):
    """The call moved to another status (see core.services.calls for the rules)."""

    status: CallStatus
    previous_status: CallStatus | None  # None: the call's first status
    source: StatusSource
    reason: str | None = None

    def to_data(self) -> dict[str, Any]:
        return {
            "from": self.previous_status.value if self.previous_status else None,
            "to": self.status.value,
            "source": self.source.value,
            "reason": self.reason,
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Self:
        previous = data.get("from")
        return cls(
            status=CallStatus(data["to"]),
            previous_status=CallStatus(previous) if previous else None,
            source=StatusSource(data["source"]),
            reason=_optional_str(data.get("reason")),
        )


@dataclass(frozen=True)
class Started(CallEventPayload, event_type=CallEventType.STARTED):
    """The call was answered: the conversation begins. Recorded once, with the move to
    in progress, after its `StatusChanged`; it says who talks to whom, so a partner's
    system (a CRM, a ticket) can open its record of the call from this event alone."""

    direction: CallDirection
    from_number: str
    to_number: str
    source: StatusSource  # who reported the answer

    def to_data(self) -> dict[str, Any]:
        return {
            "direction": self.direction.value,
            "from": self.from_number,
            "to": self.to_number,
            "source": self.source.value,
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            direction=CallDirection(data["direction"]),
            from_number=str(data["from"]),
            to_number=str(data["to"]),
            source=StatusSource(data["source"]),
        )


@dataclass(frozen=True)
class TranscriptSegment(CallEventPayload, event_type=CallEventType.TRANSCRIPT_SEGMENT):
    """One turn of the conversation, as it was transcribed (secrets of the call's tools
    removed)."""

    speaker: Speaker
    text: str

    def to_data(self) -> dict[str, Any]:
        return {"speaker": self.speaker.value, "text": self.text}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Self:
        return cls(speaker=Speaker(data["speaker"]), text=str(data["text"]))


@dataclass(frozen=True)
class ToolInvoked(CallEventPayload, event_type=CallEventType.TOOL_INVOKED):
    """The agent called one of its tool functions."""

    function: str
    arguments: Mapping[str, Any]  # as the model sent them, secrets removed
    outcome: ToolOutcome
    latency_ms: int
    message: str | None = None  # what the agent was told when it failed

    def to_data(self) -> dict[str, Any]:
        return {
            "function": self.function,
            "arguments": dict(self.arguments),
            "outcome": self.outcome.value,
            "latency_ms": self.latency_ms,
            "message": self.message,
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Self:
        arguments = data.get("arguments") or {}
        if not isinstance(arguments, Mapping):
            raise TypeError("arguments is not an object")
        return cls(
            function=str(data["function"]),
            arguments=dict(arguments),
            outcome=ToolOutcome(data["outcome"]),
            latency_ms=int(data["latency_ms"]),
            message=_optional_str(data.get("message")),
        )


@dataclass(frozen=True)
class Transfer(CallEventPayload, event_type=CallEventType.TRANSFER):
    """How a transfer ended: the caller was handed over, or stays with the agent."""

    transfer_to: str  # a phone number or a sip: URI
    outcome: TransferOutcome
    reason: str | None = None  # why it failed
    mode: TransferMode | None = None  # None: recorded before warm transfers (cold)

    def to_data(self) -> dict[str, Any]:
        return {
            "to": self.transfer_to,
            "outcome": self.outcome.value,
            "reason": self.reason,
            "mode": self.mode.value if self.mode else None,
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Self:
        mode = data.get("mode")
        return cls(
            transfer_to=str(data["to"]),
            outcome=TransferOutcome(data["outcome"]),
            reason=_optional_str(data.get("reason")),
            mode=TransferMode(mode) if mode else None,
        )


@dataclass(frozen=True)
class TransferStarted(CallEventPayload, event_type=CallEventType.TRANSFER_STARTED):
    """The agent began to transfer the caller; a `Transfer` follows with the outcome."""

    transfer_to: str
    mode: TransferMode

    def to_data(self) -> dict[str, Any]:
        return {"to": self.transfer_to, "mode": self.mode.value}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Self:
        return cls(transfer_to=str(data["to"]), mode=TransferMode(data["mode"]))


@dataclass(frozen=True)
class TransferBriefing(CallEventPayload, event_type=CallEventType.TRANSFER_BRIEFING):
    """Warm transfer: the person answered, and the agent briefs them while the caller holds."""

    transfer_to: str
    summary: str  # what the agent tells the person (secrets of the call's tools removed)

    def to_data(self) -> dict[str, Any]:
        return {"to": self.transfer_to, "summary": self.summary}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Self:
        return cls(transfer_to=str(data["to"]), summary=str(data["summary"]))


@dataclass(frozen=True)
class Ended(CallEventPayload, event_type=CallEventType.ENDED):
    """The call ended and was charged; always the last event of the call's own stream."""

    status: CallStatus
    reason: str | None
    duration_seconds: int | None

    def to_data(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "reason": self.reason,
            "duration_seconds": self.duration_seconds,
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            status=CallStatus(data["status"]),
            reason=_optional_str(data.get("reason")),
            duration_seconds=_optional_int(data.get("duration_seconds")),
        )


@dataclass(frozen=True)
class Updated(CallEventPayload, event_type=CallEventType.UPDATED):
    """Something a dashboard shows changed without a change of status: Twilio's own
    duration arriving after the call ended, or the reason of the end, when the party that
    decided it reports after a mere inference was recorded (a transfer after "the caller's
    line left")."""

    changed_fields: tuple[CallField, ...]
    source: StatusSource
    duration_seconds: int | None = None
    previous_duration_seconds: int | None = None
    ended_reason: str | None = None
    previous_ended_reason: str | None = None

    def to_data(self) -> dict[str, Any]:
        return {
            "changed_fields": [changed.value for changed in self.changed_fields],
            "source": self.source.value,
            "duration_seconds": self.duration_seconds,
            "previous_duration_seconds": self.previous_duration_seconds,
            "ended_reason": self.ended_reason,
            "previous_ended_reason": self.previous_ended_reason,
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Self:
        return cls(
            changed_fields=tuple(CallField(changed) for changed in data["changed_fields"]),
            source=StatusSource(data["source"]),
            duration_seconds=_optional_int(data.get("duration_seconds")),
            previous_duration_seconds=_optional_int(data.get("previous_duration_seconds")),
            ended_reason=_optional_str(data.get("ended_reason")),
            previous_ended_reason=_optional_str(data.get("previous_ended_reason")),
        )


@dataclass(frozen=True)
class Analyzed(CallEventPayload, event_type=CallEventType.ANALYZED):
    """The post-call analysis is done (core/analysis): its result, or why it failed. Comes
    after the call's `Ended`, so it reaches the organization's stream and partner webhooks,
    not the call's own stream (which completes at `Ended`)."""

    result: AnalysisResult

    def to_data(self) -> dict[str, Any]:
        return self.result.to_data()

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Self:
        return cls(result=AnalysisResult.from_data(data))
