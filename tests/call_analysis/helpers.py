"""What the analysis tests share: a plan, answers, calls that end, and running the runner.

The runner is the real one (core/analysis/runner.py) with the real google-genai client,
pointed at the fake Gemini; a pass is run directly, at a moment when the call's analysis is
due (`run_due`), and only for the test's own calls.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.expressions import Q

from core.analysis.plan import AnalysisPlan, RubricKind, SuccessRubric
from core.analysis.runner import AnalysisRunner
from core.call_events import Speaker, ToolInvoked, ToolOutcome, TranscriptSegment
from core.events import EventBus
from core.services import agents, calls
from core.services.calls import CallStatus
from core.settings import Settings
from orm.models import Call, CallAnalysis, CallEvent, CreditLedgerEntry, VoiceAgent
from tests.fakes.gemini import FakeGemini
from tests.support.factories import Factories, Tenant

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "caller_name": {"type": "string"},
        "appointment_day": {"type": "string", "enum": ["monday", "tuesday", "wednesday"]},
        "wants_callback": {"type": "boolean"},
    },
    "required": ["caller_name", "wants_callback"],
}
CRITERIA = ("The caller's appointment was booked", "The agent confirmed the day")
SUMMARY_PROMPT = "One sentence: who called, and what was booked."

PLAN = AnalysisPlan(
    summary_prompt=SUMMARY_PROMPT,
    success_rubric=SuccessRubric(kind=RubricKind.CRITERIA, criteria=CRITERIA),
    structured_data_schema=SCHEMA,
)

CONVERSATION = (
    (Speaker.AGENT, "Hello, Bright Smile Dental, how can I help?"),
    (Speaker.CALLER, "Hi, this is Grace Hopper, I need a check-up on Monday."),
    (Speaker.AGENT, "You're booked for Monday at ten. Goodbye!"),
)
TOOL_CALL = ToolInvoked(
    function="calendar_create_event",
    arguments={"start": "2099-03-02T10:00", "caller_name": "Grace Hopper"},
    outcome=ToolOutcome.OK,
    latency_ms=120,
)


def good_answer(**overrides: Any) -> dict[str, Any]:
    """What a model following PLAN's response schema answers."""
    answer: dict[str, Any] = {
        "summary": "Grace Hopper called and booked a check-up for Monday at ten.",
        "successEvaluation": {
            "criteria": [
                {"criterion": CRITERIA[1], "passed": True},
                {"criterion": CRITERIA[0], "passed": True},
            ]
        },
        "structuredData": {
            "caller_name": "Grace Hopper",
            "appointment_day": "monday",
            "wants_callback": False,
        },
    }
    answer.update(overrides)
    return answer


def analysis_settings(base: Settings, gemini: FakeGemini, **overrides: Any) -> Settings:
    return base.model_copy(update={**gemini.settings_overrides(), **overrides})


@contextlib.asynccontextmanager
async def runner_for(
    settings: Settings, bus: EventBus | None = None
) -> AsyncIterator[AnalysisRunner]:
    runner = AnalysisRunner(settings=settings, bus=bus)
    try:
        yield runner
    finally:
        await runner.aclose()


async def run_due(runner: AnalysisRunner, *call_ids: uuid.UUID) -> int:
    """One pass at the moment the given calls' analyses are next due, for them only."""
    rows = await CallAnalysis.filter(call_id__in=call_ids, status="pending")
    if not rows:
        return 0
    due = max(row.next_attempt_at for row in rows) + timedelta(milliseconds=1)
    return await runner.run_pass(now=due, where=Q(call_id__in=list(call_ids)))


async def agent_with_plan(
    make: Factories, tenant: Tenant, plan: AnalysisPlan | None = PLAN, **fields: Any
) -> VoiceAgent:
    agent = await make.agent(tenant, **fields)
    return await agents.update(
        agent=agent, changes=agents.AgentChanges(analysis_plan=plan), settings=make.settings
    )


async def talk(call: Call) -> None:
    """The conversation and a tool call, written the way the worker's recorder writes them."""
    for speaker, text in CONVERSATION:
        await calls.record_event(
            call_id=call.id, payload=TranscriptSegment(speaker=speaker, text=text), bus=None
        )
    await calls.record_event(call_id=call.id, payload=TOOL_CALL, bus=None)


async def ended_call(
    make: Factories,
    tenant: Tenant,
    agent: VoiceAgent,
    settings: Settings,
    *,
    seconds: int = 61,
    bus: EventBus | None = None,
) -> Call:
    """An answered call that talked and ended (charged, its analysis queued)."""
    call = await make.call(tenant, agent, answered_seconds_ago=seconds, snapshot=None)
    await talk(call)
    await calls.apply_status(
        call_id=call.id,
        status=CallStatus.COMPLETED,
        source="worker",
        reason="agent_ended",
        bus=bus,
        settings=settings,
    )
    return await Call.get(id=call.id)


async def analysis_of(call: Call) -> CallAnalysis | None:
    return await CallAnalysis.get_or_none(call_id=call.id)


async def analyzed_events(call: Call) -> list[CallEvent]:
    return await CallEvent.filter(call_id=call.id, type="call.analyzed").order_by("seq")


async def ledger(call: Call, prefix: str) -> list[CreditLedgerEntry]:
    return await CreditLedgerEntry.filter(reference=f"{prefix}:{call.id}")


def later(seconds: float) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=seconds)
