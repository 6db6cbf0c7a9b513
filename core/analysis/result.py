"""What an analysis says: its status and, once done, the summary, the success evaluation and
the structured data; or why it failed.

The same value is stored on `call_analyses` and carried by the `call.analyzed` event
(core/call_events.py), so the record, the subscriptions and partner webhooks agree. Only
the standard library is imported here: core.call_events depends on this module.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Self


class AnalysisStatus(enum.StrEnum):
    PENDING = "pending"
    COMPLETED = "completed"
    FAILED = "failed"  # gave up after retries; `error` says why


class EvaluationKind(enum.StrEnum):
    """The shape of a success evaluation, after the plan's rubric (core/analysis/plan.py)."""

    PASS_FAIL = "pass_fail"
    SCORE = "score"  # 1 to 10
    CRITERIA = "criteria"


@dataclass(frozen=True)
class CriterionResult:
    criterion: str
    passed: bool


@dataclass(frozen=True, kw_only=True)
class SuccessEvaluation:
    kind: EvaluationKind
    passed: bool | None = None  # PASS_FAIL
    score: int | None = None  # SCORE
    criteria: tuple[CriterionResult, ...] = ()  # CRITERIA, in the rubric's order

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind.value}
        if self.kind is EvaluationKind.PASS_FAIL:
            data["passed"] = self.passed
        elif self.kind is EvaluationKind.SCORE:
            data["score"] = self.score
        else:
            data["criteria"] = [
                {"criterion": item.criterion, "passed": item.passed} for item in self.criteria
            ]
        return data

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Self:
        kind = EvaluationKind(data["kind"])
        passed = data.get("passed")
        score = data.get("score")
        return cls(
            kind=kind,
            passed=bool(passed) if passed is not None else None,
            score=int(score) if score is not None else None,
            criteria=tuple(
                CriterionResult(criterion=str(item["criterion"]), passed=bool(item["passed"]))
                for item in data.get("criteria") or []
            ),
        )


@dataclass(frozen=True, kw_only=True)
class AnalysisResult:
    status: AnalysisStatus
    summary: str | None = None
    success_evaluation: SuccessEvaluation | None = None  # None: the plan has no rubric
    structured_data: Mapping[str, Any] | None = None  # None: the plan has no schema
    model: str = ""
    latency_ms: int | None = None  # the model's answer that was kept (the last attempt)
    error: str | None = None
    attempts: int = 0
    completed_at: datetime | None = None  # COMPLETED only

    def to_data(self) -> dict[str, Any]:
        return {
            "status": self.status.value,
            "summary": self.summary,
            "success_evaluation": self.success_evaluation.to_data()
            if self.success_evaluation is not None
            else None,
            "structured_data": dict(self.structured_data)
            if self.structured_data is not None
            else None,
            "model": self.model,
            "latency_ms": self.latency_ms,
            "error": self.error,
            "attempts": self.attempts,
            "completed_at": self.completed_at.isoformat() if self.completed_at else None,
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Self:
        evaluation = data.get("success_evaluation")
        structured = data.get("structured_data")
        summary = data.get("summary")
        latency = data.get("latency_ms")
        error = data.get("error")
        completed_at = data.get("completed_at")
        if evaluation is not None and not isinstance(evaluation, Mapping):
            raise TypeError("success_evaluation is not an object")
        if structured is not None and not isinstance(structured, Mapping):
            raise TypeError("structured_data is not an object")
        return cls(
            status=AnalysisStatus(data["status"]),
            summary=None if summary is None else str(summary),
            success_evaluation=SuccessEvaluation.from_data(evaluation) if evaluation else None,
            structured_data=dict(structured) if structured is not None else None,
            model=str(data.get("model") or ""),
            latency_ms=None if latency is None else int(latency),
            error=None if error is None else str(error),
            attempts=int(data.get("attempts") or 0),
            completed_at=datetime.fromisoformat(completed_at) if completed_at else None,
        )
