"""A call's post-call analysis in the schema: `Call.analysis` and `CallAnalyzed.analysis`.

One object type for both: read from the stored row (`call_analyses`) or from the
`call.analyzed` event's result (core/analysis/result.py), which are written together.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry
from strawberry.scalars import JSON

from core.analysis.result import (
    AnalysisResult,
    AnalysisStatus,
    EvaluationKind,
    SuccessEvaluation,
)
from graphql_api.descriptions import described_enum
from orm.models import CallAnalysis

CallAnalysisStatus = AnalysisStatus
described_enum(
    CallAnalysisStatus,
    name="CallAnalysisStatus",
    description="Where a call's post-call analysis stands.",
    values={
        AnalysisStatus.PENDING: "Queued or being retried; `attempts` and `error` tell how the "
        "last attempt went, `nextAttemptAt` when the next one is due.",
        AnalysisStatus.COMPLETED: "Done: `summary` and, as the plan asked, `successEvaluation` "
        "and `structuredData` are set.",
        AnalysisStatus.FAILED: "Given up after retries, or at once for an error that would "
        "repeat; `error` says why. Not charged.",
    },
)

SuccessEvaluationKind = EvaluationKind
described_enum(
    SuccessEvaluationKind,
    name="SuccessEvaluationKind",
    description="The shape of a success evaluation, after the agent's success rubric.",
    values={
        EvaluationKind.PASS_FAIL: "Passed or not (`passed`); rubric `PASS_FAIL`.",
        EvaluationKind.SCORE: "A score from 1 to 10 (`score`); rubric `SCORE_1_TO_10`.",
        EvaluationKind.CRITERIA: "Each criterion met or not (`criteria`); rubric `CRITERIA`.",
    },
)


@strawberry.type(name="CallCriterionResult", description="One criterion of the rubric, judged.")
class CriterionResultType:
    criterion: str = strawberry.field(description="The criterion, as the rubric words it.")
    passed: bool = strawberry.field(description="Whether the call met it.")


@strawberry.type(
    name="CallSuccessEvaluation",
    description="Whether the call succeeded, judged by the model after the agent's rubric.",
)
class SuccessEvaluationType:
    kind: SuccessEvaluationKind = strawberry.field(description="Which of the fields is set.")
    passed: bool | None = strawberry.field(description="`PASS_FAIL`: whether it succeeded.")
    score: int | None = strawberry.field(description="`SCORE`: 1 (not at all) to 10 (fully).")
    criteria: list[CriterionResultType] = strawberry.field(
        description="`CRITERIA`: each criterion in the rubric's order; empty for other kinds."
    )

    @classmethod
    def from_core(cls, evaluation: SuccessEvaluation) -> SuccessEvaluationType:
        return cls(
            kind=evaluation.kind,
            passed=evaluation.passed,
            score=evaluation.score,
            criteria=[
                CriterionResultType(criterion=item.criterion, passed=item.passed)
                for item in evaluation.criteria
            ],
        )


@strawberry.type(
    name="CallAnalysis",
    description="What the model made of the call after it ended, as the agent's analysis plan "
    "(the one the call started with) asked.",
)
class CallAnalysisType:
    status: CallAnalysisStatus = strawberry.field(description="Where the analysis stands.")
    summary: str | None = strawberry.field(
        description="A short account of the call, after the plan's summary prompt; null until "
        "completed."
    )
    success_evaluation: SuccessEvaluationType | None = strawberry.field(
        description="Whether the call succeeded, after the plan's rubric; null when the plan "
        "has none, or until completed."
    )
    structured_data: JSON | None = strawberry.field(
        description="The object the plan's structured-data schema describes, filled from the "
        "call and valid against that schema; null when the plan has none, or until completed."
    )
    model: str | None = strawberry.field(
        description="The model that answered (or was asked last); null before any attempt."
    )
    latency_ms: int | None = strawberry.field(
        description="How long the model took, in milliseconds, on the last attempt."
    )
    error: str | None = strawberry.field(
        description="Why the analysis failed; while pending, why the last attempt failed."
    )
    attempts: int = strawberry.field(description="How many times the model was asked.")
    next_attempt_at: datetime | None = strawberry.field(
        description="While pending: when the next attempt is due; null once finished."
    )
    completed_at: datetime | None = strawberry.field(
        description="When it completed; null while pending or when it failed."
    )

    @classmethod
    def from_row(cls, row: CallAnalysis) -> CallAnalysisType:
        status = AnalysisStatus(row.status)
        evaluation = row.success_evaluation
        return cls(
            status=status,
            summary=row.summary,
            success_evaluation=SuccessEvaluationType.from_core(
                SuccessEvaluation.from_data(evaluation)
            )
            if evaluation
            else None,
            structured_data=_json(row.structured_data),
            model=row.model or None,
            latency_ms=row.latency_ms,
            error=row.error,
            attempts=row.attempts,
            next_attempt_at=row.next_attempt_at if status is AnalysisStatus.PENDING else None,
            completed_at=row.completed_at,
        )

    @classmethod
    def from_result(cls, result: AnalysisResult) -> CallAnalysisType:
        evaluation = result.success_evaluation
        return cls(
            status=result.status,
            summary=result.summary,
            success_evaluation=SuccessEvaluationType.from_core(evaluation) if evaluation else None,
            structured_data=_json(result.structured_data),
            model=result.model or None,
            latency_ms=result.latency_ms,
            error=result.error,
            attempts=result.attempts,
            next_attempt_at=None,
            completed_at=result.completed_at,
        )


def _json(value: Any) -> JSON | None:
    return JSON(dict(value)) if value is not None else None
