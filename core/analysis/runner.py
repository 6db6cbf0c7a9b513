"""The analysis runner: claims due analyses, asks the model, stores each result once.

Any number of runners (one per worker process, `voiceagents analysis run`) share the queue:
`claim_due` gives each row to one of them (core/jobs.py). A result, its charge and its
`call.analyzed` event are written in one transaction that holds the call's row
(`calls.record_written`), and only while the row is still the one this runner claimed
(pending, with the attempts it had): a runner whose claim ran out while it waited on the
model, and whose row another runner took, writes nothing.

A request that fails (an HTTP error, a timeout, an answer that is not JSON or breaks the
schema) is retried later with backoff; after ANALYSIS_MAX_ATTEMPTS, or at once for errors
that would repeat (a refused key, an invalid request), the analysis fails with its error,
and `call.analyzed` says so. A failed analysis is never charged.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from core import tenancy
from core.analysis import prompt
from core.analysis.gemini import AnalysisModel, GeminiModel, ModelError
from core.analysis.result import AnalysisResult, AnalysisStatus
from core.background import raise_if_cancelling
from core.call_events import Analyzed, CallEventPayload
from core.call_snapshot import CallSnapshot
from core.events import EventBus
from core.jobs import claim_due
from core.services import calls, credits
from core.services.credits import CreditKind
from core.settings import Settings
from orm.models import Call, CallAnalysis

log = logging.getLogger(__name__)

MAX_ERROR_LENGTH = 300  # call_analyses.error


class AnalysisRunner:
    def __init__(
        self, *, settings: Settings, bus: EventBus | None, model: AnalysisModel | None = None
    ) -> None:
        self.settings = settings
        self.bus = bus
        self.model: AnalysisModel = model or GeminiModel(settings)

    async def aclose(self) -> None:
        await self.model.aclose()

    @property
    def lease_seconds(self) -> float:
        # Longer than one attempt can take, so a claim outlives the request it covers.
        return 2 * self.settings.analysis_timeout_seconds + 30

    async def run_pass(self, *, now: datetime | None = None, where: Q | None = None) -> int:
        """Analyse the due analyses one claim can hold (those matching `where`, when given);
        returns how many were attempted."""
        now = now or datetime.now(UTC)
        with tenancy.platform_scope("post-call analysis: the analyses due"):
            rows = await claim_due(
                CallAnalysis,
                lease_seconds=self.lease_seconds,
                limit=self.settings.analysis_concurrency,
                where=where,
                now=now,
            )
        await asyncio.gather(*(self._attempt_for(row, now) for row in rows))
        return len(rows)

    async def _attempt_for(self, row: CallAnalysis, now: datetime) -> None:
        """One attempt, reaching the call's organization only (its record, its credits)."""
        with tenancy.tenant_scope([row.organization_id]):
            await self._attempt(row, now)

    async def run_forever(self, stop: asyncio.Event | None = None) -> None:
        """Pass after pass until `stop` is set (or the task is cancelled)."""
        stop = stop or asyncio.Event()
        while not stop.is_set():
            try:
                attempted = await self.run_pass()
            except Exception:
                raise_if_cancelling()
                log.exception("post-call analysis pass failed")
                attempted = 0
            raise_if_cancelling()
            if attempted < self.settings.analysis_concurrency:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(
                        stop.wait(), self.settings.analysis_poll_interval_seconds
                    )

    async def _attempt(self, row: CallAnalysis, now: datetime) -> None:
        attempt = row.attempts + 1
        started = time.monotonic()
        try:
            call = await Call.get(id=row.call_id)
            plan = CallSnapshot.from_stored(call.snapshot).analysis_plan
            request = await prompt.build(call)
            started = time.monotonic()  # the model's time, not the database's
            text = await self.model.generate(request)
            latency_ms = _ms_since(started)
            answer = prompt.read_answer(text, plan)
        except (ModelError, prompt.AnswerProblem) as problem:
            await self._failed_attempt(row, attempt, problem, _ms_since(started), now)
            return
        except Exception:
            # A bug, not the model: logged, and retried like any failure (never a loop).
            log.exception("post-call analysis attempt failed", extra=_log_fields(row, attempt))
            internal = ModelError("internal_error", "", retryable=True)
            await self._failed_attempt(row, attempt, internal, _ms_since(started), now)
            return
        result = AnalysisResult(
            status=AnalysisStatus.COMPLETED,
            completed_at=datetime.now(UTC),
            summary=answer.summary,
            success_evaluation=answer.success_evaluation,
            structured_data=answer.structured_data,
            model=self.model.name,
            latency_ms=latency_ms,
            attempts=attempt,
        )
        await self._finish(row, result)

    async def _failed_attempt(
        self,
        row: CallAnalysis,
        attempt: int,
        problem: ModelError | prompt.AnswerProblem,
        latency_ms: int,
        now: datetime,
    ) -> None:
        error = str(problem)[:MAX_ERROR_LENGTH]
        retryable = isinstance(problem, prompt.AnswerProblem) or problem.retryable
        log.warning(
            "post-call analysis attempt failed",
            extra={**_log_fields(row, attempt), "problem": problem.kind},
        )
        if retryable and attempt < self.settings.analysis_max_attempts:
            await _guarded(row).update(
                attempts=attempt,
                error=error,
                latency_ms=latency_ms,
                next_attempt_at=now + self._backoff(attempt),
                claimed_until=None,
            )
            return
        result = AnalysisResult(
            status=AnalysisStatus.FAILED,
            model=self.model.name,
            latency_ms=latency_ms,
            error=error,
            attempts=attempt,
        )
        await self._finish(row, result)

    def _backoff(self, attempt: int) -> timedelta:
        base = self.settings.analysis_retry_base_seconds * 4 ** (attempt - 1)
        # Jitter, so that analyses that failed together (an outage) do not retry together.
        return timedelta(seconds=base * random.uniform(0.8, 1.2))  # noqa: S311 (not a secret)

    async def _finish(self, row: CallAnalysis, result: AnalysisResult) -> None:
        """Store the final result, charge a completed one, and record `call.analyzed`: all
        in one transaction, or nothing when the row is no longer this runner's."""
        settings = self.settings

        async def write(call: Call) -> CallEventPayload | None:
            completed = result.status is AnalysisStatus.COMPLETED
            stored = await _guarded(row).update(
                status=result.status.value,
                attempts=result.attempts,
                summary=result.summary,
                success_evaluation=result.success_evaluation.to_data()
                if result.success_evaluation is not None
                else None,
                structured_data=dict(result.structured_data)
                if result.structured_data is not None
                else None,
                model=result.model,
                latency_ms=result.latency_ms,
                error=result.error,
                completed_at=result.completed_at,
                claimed_until=None,
            )
            if not stored:
                return None
            if completed and settings.analysis_credits_per_call > 0:
                await _charge(call, settings)
            return Analyzed(result=result)

        await calls.record_written(call_id=row.call_id, write=write, bus=self.bus)


def _guarded(row: CallAnalysis) -> QuerySet[CallAnalysis]:
    """The row, if it is still as this runner claimed it."""
    return CallAnalysis.filter(
        id=row.id, status=AnalysisStatus.PENDING.value, attempts=row.attempts
    )


async def _charge(call: Call, settings: Settings) -> None:
    """Inside the transaction that completes the analysis: charge it once."""
    assert call.organization_id is not None  # only an organization's calls are analysed
    cost = settings.analysis_credits_per_call
    await credits.apply_in_transaction(
        organization_id=call.organization_id,
        amount=-cost,
        kind=CreditKind.CHARGE,
        reason=f"Post-call analysis at {cost} credits per call",
        reference=f"analysis:{call.id}",
        settings=settings,
        call_id=call.id,
        data={"analysis": True, "credits_per_call": cost},
    )


def _ms_since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def _log_fields(row: CallAnalysis, attempt: int) -> dict[str, Any]:
    return {"call_id": str(row.call_id), "attempt": attempt}


async def run_once(*, settings: Settings, bus: EventBus | None) -> int:
    """One pass with the configured model (`voiceagents analysis run --once`)."""
    runner = AnalysisRunner(settings=settings, bus=bus)
    try:
        return await runner.run_pass()
    finally:
        await runner.aclose()
