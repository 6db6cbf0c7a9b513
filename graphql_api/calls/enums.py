"""The closed sets of the calls domain, as GraphQL enums over the core enums.

Each GraphQL enum is the core enum itself (`described_enum` marks the class), so a resolver
returns core values as they are and annotations name the core class; every value carries a
description, and a value added in core without one fails at import.
"""

from __future__ import annotations

from core import call_events
from graphql_api.descriptions import described_enum

CallStatus = call_events.CallStatus
described_enum(
    CallStatus,
    name="CallStatus",
    description="Where a call stands. A call only moves forward: ringing, in progress, ended.",
    values={
        call_events.CallStatus.RINGING: "Not answered yet.",
        call_events.CallStatus.IN_PROGRESS: "Answered: the conversation is going on.",
        call_events.CallStatus.COMPLETED: "Ended normally: a hang-up, the agent's goodbye, or a "
        "transfer.",
        call_events.CallStatus.CANCELED: "The caller hung up before it was answered.",
        call_events.CallStatus.NO_ANSWER: "Nobody answered.",
        call_events.CallStatus.BUSY: "The line was busy.",
        call_events.CallStatus.FAILED: "It could not be connected or broke down; `endedReason` "
        "says why.",
    },
)

CallEventType = call_events.CallEventType
described_enum(
    CallEventType,
    name="CallEventType",
    description="Every kind of call event; each has its own object type implementing `CallEvent`.",
    values={
        call_events.CallEventType.STATUS_CHANGED: "The call's status changed "
        "(`CallStatusChanged`).",
        call_events.CallEventType.TRANSCRIPT_SEGMENT: "A turn of the conversation "
        "(`CallTranscriptSegment`).",
        call_events.CallEventType.TOOL_INVOKED: "The agent called a tool function "
        "(`CallToolInvoked`).",
        call_events.CallEventType.TRANSFER: "How a transfer ended: handed over, or not and "
        "why (`CallTransfer`).",
        call_events.CallEventType.TRANSFER_STARTED: "The agent began to transfer the caller "
        "(`CallTransferStarted`).",
        call_events.CallEventType.TRANSFER_BRIEFING: "Warm transfer: the person answered and "
        "is being briefed (`CallTransferBriefing`).",
        call_events.CallEventType.ENDED: "The call ended and was charged (`CallEnded`).",
        call_events.CallEventType.UPDATED: "A detail of an ended call changed, such as its "
        "duration (`CallUpdated`).",
        call_events.CallEventType.STARTED: "The call was answered: who talks to whom "
        "(`CallStarted`).",
        call_events.CallEventType.ANALYZED: "The post-call analysis finished: its result, or "
        "why it failed (`CallAnalyzed`).",
    },
)

CallStatusSource = call_events.StatusSource
described_enum(
    CallStatusSource,
    name="CallStatusSource",
    description="Who reported a change of a call.",
    values={
        call_events.StatusSource.TWILIO: "Twilio, the phone network's side.",
        call_events.StatusSource.LIVEKIT: "LiveKit, the media server's side.",
        call_events.StatusSource.WORKER: "The worker running the agent.",
        call_events.StatusSource.PLATFORM: "The platform itself (a refusal, a failure to "
        "connect, a call whose worker vanished).",
    },
)

TranscriptSpeaker = call_events.Speaker
described_enum(
    TranscriptSpeaker,
    name="TranscriptSpeaker",
    description="Who said a transcribed turn.",
    values={
        call_events.Speaker.CALLER: "The person on the phone.",
        call_events.Speaker.AGENT: "The voice agent.",
    },
)

ToolOutcome = call_events.ToolOutcome
described_enum(
    ToolOutcome,
    name="ToolOutcome",
    description="How a tool function call went.",
    values={
        call_events.ToolOutcome.OK: "It answered.",
        call_events.ToolOutcome.ERROR: "It failed; the agent was told why (`message`).",
        call_events.ToolOutcome.TIMEOUT: "It took longer than the platform's tool timeout.",
    },
)

TransferOutcome = call_events.TransferOutcome
described_enum(
    TransferOutcome,
    name="TransferOutcome",
    description="How a transfer went.",
    values={
        call_events.TransferOutcome.TRANSFERRED: "The caller was handed over.",
        call_events.TransferOutcome.FAILED: "The transfer did not happen (`reason` says why).",
        call_events.TransferOutcome.BUSY: "The person's line was busy; the caller stays with "
        "the agent.",
        call_events.TransferOutcome.NO_ANSWER: "Nobody answered in time; the caller stays "
        "with the agent.",
        call_events.TransferOutcome.DECLINED: "The person declined the call; the caller stays "
        "with the agent.",
    },
)

TransferMode = call_events.TransferMode
described_enum(
    TransferMode,
    name="TransferMode",
    description="How the agent hands a caller to a person.",
    values={
        call_events.TransferMode.COLD: "At once: the caller's call is forwarded (SIP REFER).",
        call_events.TransferMode.WARM: "The agent calls the person first, briefs them, and "
        "connects the caller only if they take the call.",
    },
)

CallField = call_events.CallField
described_enum(
    CallField,
    name="CallField",
    description="A field of `Call` that can change after the call ended.",
    values={
        call_events.CallField.DURATION_SECONDS: "`durationSeconds`.",
        call_events.CallField.ENDED_REASON: "`endedReason`.",
    },
)
