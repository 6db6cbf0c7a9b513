"""An agent's analysis plan in the schema: `Agent.analysisPlan` and `analysisPlan` inputs.

The rules (lengths, the rubric's criteria, the schema checked like custom-function
parameters) are core's (core/analysis/plan.py, applied by core/services/agents.py); this
module only shapes the plan and reads the input into the core type.
"""

from __future__ import annotations

from typing import Any, cast

import strawberry
from strawberry.scalars import JSON
from strawberry.types.unset import UnsetType

from core.analysis.plan import (
    DEFAULT_SUMMARY_PROMPT,
    MAX_CRITERIA,
    MAX_CRITERION_LENGTH,
    MAX_SUMMARY_PROMPT_LENGTH,
    AnalysisPlan,
    RubricKind,
    SuccessRubric,
)
from graphql_api.descriptions import described_enum

SuccessRubricKind = RubricKind
described_enum(
    SuccessRubricKind,
    name="SuccessRubricKind",
    description="How the model judges whether a call succeeded.",
    values={
        RubricKind.NONE: "No success evaluation.",
        RubricKind.PASS_FAIL: "Passed or not.",
        RubricKind.SCORE_1_TO_10: "A score from 1 (not at all) to 10 (fully).",
        RubricKind.CRITERIA: "Each of the rubric's `criteria` met or not.",
    },
)

_SUMMARY_PROMPT = (
    f"What the summary should say, 1 to {MAX_SUMMARY_PROMPT_LENGTH:,} characters; the default "
    f"asks for: {DEFAULT_SUMMARY_PROMPT}"
)
_CRITERIA = (
    f"`CRITERIA` only: 1 to {MAX_CRITERIA} different criteria, each up to "
    f"{MAX_CRITERION_LENGTH} characters, such as `The caller's appointment was booked`."
)
_RUBRIC_PROMPT = (
    "What success means for this agent, in your words (up to 4,000 characters); the model "
    "reads it with the rubric."
)
_SCHEMA = (
    'A JSON Schema of an object (`{"type": "object", "properties": {...}}`), checked like '
    "custom-function parameters: the model fills it from the call, and its answer is "
    "validated against it (`Call.analysis.structuredData`)."
)
_ENABLED = "Whether ended calls of this agent are analysed."


@strawberry.type(name="SuccessRubric", description="How the model judges a call's success.")
class SuccessRubricType:
    kind: SuccessRubricKind = strawberry.field(description="The kind of judgement.")
    criteria: list[str] = strawberry.field(description=f"{_CRITERIA} Empty for other kinds.")
    prompt: str | None = strawberry.field(description=f"{_RUBRIC_PROMPT} Null: none.")


@strawberry.type(
    name="AnalysisPlan",
    description="What the model is asked about each of the agent's calls once it ends (see "
    "`Call.analysis`). A call keeps the plan it started with.",
)
class AnalysisPlanType:
    enabled: bool = strawberry.field(description=_ENABLED)
    summary_prompt: str = strawberry.field(description=_SUMMARY_PROMPT)
    success_rubric: SuccessRubricType = strawberry.field(
        description="How success is judged; kind `NONE` by default."
    )
    structured_data_schema: JSON | None = strawberry.field(
        description=f"{_SCHEMA} Null: no structured data."
    )

    @classmethod
    def from_stored(cls, stored: Any) -> AnalysisPlanType:
        plan = AnalysisPlan.from_stored(stored)
        rubric = plan.success_rubric
        schema = plan.structured_data_schema
        return cls(
            enabled=plan.enabled,
            summary_prompt=plan.summary_prompt,
            success_rubric=SuccessRubricType(
                kind=rubric.kind, criteria=list(rubric.criteria), prompt=rubric.prompt
            ),
            structured_data_schema=JSON(dict(schema)) if schema is not None else None,
        )


@strawberry.input(description="A success rubric; fields left out take their defaults.")
class SuccessRubricInput:
    kind: SuccessRubricKind = strawberry.field(description="The kind of judgement.")
    criteria: list[str] | None = strawberry.field(default=None, description=_CRITERIA)
    prompt: str | None = strawberry.field(default=None, description=_RUBRIC_PROMPT)


@strawberry.input(
    description="A whole analysis plan (it replaces the agent's); fields left out take their "
    "defaults: enabled, the default summary prompt, no rubric, no structured data."
)
class AnalysisPlanInput:
    enabled: bool | None = strawberry.field(default=None, description=f"{_ENABLED} Default: true.")
    summary_prompt: str | None = strawberry.field(default=None, description=_SUMMARY_PROMPT)
    success_rubric: SuccessRubricInput | None = strawberry.field(
        default=None, description="How success is judged; left out: kind `NONE`."
    )
    structured_data_schema: JSON | None = strawberry.field(
        default=None, description=f"{_SCHEMA} Left out: no structured data."
    )

    def to_core(self) -> AnalysisPlan:
        defaults = AnalysisPlan()
        rubric = self.success_rubric
        return AnalysisPlan(
            enabled=defaults.enabled if self.enabled is None else self.enabled,
            summary_prompt=defaults.summary_prompt
            if self.summary_prompt is None
            else self.summary_prompt,
            success_rubric=SuccessRubric(
                kind=rubric.kind,
                criteria=tuple(rubric.criteria or ()),
                prompt=rubric.prompt,
            )
            if rubric is not None
            else SuccessRubric(),
            # Any JSON: the service's rule refuses what is not a schema of an object.
            structured_data_schema=cast(Any, self.structured_data_schema),
        )


def plan_values(value: AnalysisPlanInput | UnsetType | None) -> dict[str, AnalysisPlan | None]:
    """`analysis_plan` for the service: left out (UNSET) gives nothing, null the defaults."""
    if isinstance(value, AnalysisPlanInput):
        return {"analysis_plan": value.to_core()}
    if value is None:
        return {"analysis_plan": None}
    return {}
