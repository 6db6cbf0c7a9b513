"""An agent's analysis plan: what the model is asked about each of its calls once they end.

Stored as JSON on the agent (`voice_agents.analysis_plan`, null for the defaults) and
copied into each call's snapshot (core/call_snapshot.py), so editing the plan changes the
next call only. Every default lives here: a short summary, no success rubric, no
structured data, enabled. A stored value that is missing or malformed reads as the default,
field by field, so rows written before a field existed keep working.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from core.services.custom_functions import parameters_problem

DEFAULT_SUMMARY_PROMPT = (
    "Summarize the call in two or three sentences: why the caller called, what the agent "
    "did for them, and how the call ended."
)
MAX_SUMMARY_PROMPT_LENGTH = 4_000
MAX_RUBRIC_PROMPT_LENGTH = 4_000
MAX_CRITERIA = 20
MAX_CRITERION_LENGTH = 300
# The schema travels with every analysis request; a bound keeps requests small.
MAX_SCHEMA_CHARACTERS = 20_000


class RubricKind(enum.StrEnum):
    """How the model judges whether a call succeeded."""

    NONE = "none"
    PASS_FAIL = "pass_fail"
    SCORE_1_TO_10 = "score_1_to_10"
    CRITERIA = "criteria"


@dataclass(frozen=True, kw_only=True)
class SuccessRubric:
    kind: RubricKind = RubricKind.NONE
    # CRITERIA only: each is judged met or not.
    criteria: tuple[str, ...] = ()
    # What success means for this agent, in the organization's words (optional).
    prompt: str | None = None


@dataclass(frozen=True, kw_only=True)
class AnalysisPlan:
    enabled: bool = True
    summary_prompt: str = DEFAULT_SUMMARY_PROMPT
    success_rubric: SuccessRubric = field(default_factory=SuccessRubric)
    # A JSON Schema of an object the model fills from the call; None: no structured data.
    structured_data_schema: Mapping[str, Any] | None = None

    def as_stored(self) -> dict[str, Any]:
        """The JSON kept on the agent and in call snapshots (what `from_stored` reads)."""
        return {
            "enabled": self.enabled,
            "summary_prompt": self.summary_prompt,
            "success_rubric": {
                "kind": self.success_rubric.kind.value,
                "criteria": list(self.success_rubric.criteria),
                "prompt": self.success_rubric.prompt,
            },
            "structured_data_schema": (
                dict(self.structured_data_schema)
                if self.structured_data_schema is not None
                else None
            ),
        }

    @classmethod
    def from_stored(cls, stored: Any) -> AnalysisPlan:
        """Read a stored plan back; null, missing or malformed parts take their defaults."""
        stored = stored if isinstance(stored, Mapping) else {}
        defaults = cls()
        enabled = stored.get("enabled")
        prompt = stored.get("summary_prompt")
        schema = stored.get("structured_data_schema")
        return cls(
            enabled=enabled if isinstance(enabled, bool) else defaults.enabled,
            summary_prompt=prompt if isinstance(prompt, str) and prompt else DEFAULT_SUMMARY_PROMPT,
            success_rubric=_rubric(stored.get("success_rubric")),
            structured_data_schema=schema if isinstance(schema, Mapping) else None,
        )


def _rubric(stored: Any) -> SuccessRubric:
    if not isinstance(stored, Mapping):
        return SuccessRubric()
    try:
        kind = RubricKind(str(stored.get("kind")))
    except ValueError:
        return SuccessRubric()
    criteria = stored.get("criteria")
    prompt = stored.get("prompt")
    return SuccessRubric(
        kind=kind,
        criteria=tuple(c for c in criteria if isinstance(c, str))
        if isinstance(criteria, list)
        else (),
        prompt=prompt if isinstance(prompt, str) and prompt else None,
    )


class PlanPart(enum.Enum):
    SUMMARY_PROMPT = "summary_prompt"
    SUCCESS_RUBRIC = "success_rubric"
    STRUCTURED_DATA_SCHEMA = "structured_data_schema"


class PlanProblem(Exception):
    """A plan breaks a rule; `part` says which, `field` is the path inside the plan."""

    def __init__(self, part: PlanPart, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.part = part
        self.message = message
        self.field = field or part.value


def checked(plan: AnalysisPlan) -> AnalysisPlan:
    """The plan with its texts trimmed, or PlanProblem for the first rule it breaks."""
    summary_prompt = plan.summary_prompt.strip()
    if not 1 <= len(summary_prompt) <= MAX_SUMMARY_PROMPT_LENGTH:
        raise PlanProblem(
            PlanPart.SUMMARY_PROMPT,
            f"Write a summary prompt of 1 to {MAX_SUMMARY_PROMPT_LENGTH:,} characters.",
        )
    schema = plan.structured_data_schema
    if schema is not None:
        problem = parameters_problem(schema) or _schema_size_problem(schema)
        if problem:
            raise PlanProblem(PlanPart.STRUCTURED_DATA_SCHEMA, problem)
    return AnalysisPlan(
        enabled=plan.enabled,
        summary_prompt=summary_prompt,
        success_rubric=_checked_rubric(plan.success_rubric),
        structured_data_schema=dict(schema) if schema is not None else None,
    )


def _checked_rubric(rubric: SuccessRubric) -> SuccessRubric:
    prompt = (rubric.prompt or "").strip() or None
    if prompt is not None and len(prompt) > MAX_RUBRIC_PROMPT_LENGTH:
        raise PlanProblem(
            PlanPart.SUCCESS_RUBRIC,
            f"Use at most {MAX_RUBRIC_PROMPT_LENGTH:,} characters.",
            "success_rubric.prompt",
        )
    criteria = tuple(criterion.strip() for criterion in rubric.criteria)
    if rubric.kind is not RubricKind.CRITERIA:
        if criteria:
            raise PlanProblem(
                PlanPart.SUCCESS_RUBRIC,
                "Criteria belong to a CRITERIA rubric; leave them out for this kind.",
                "success_rubric.criteria",
            )
        return SuccessRubric(kind=rubric.kind, prompt=prompt)
    if not 1 <= len(criteria) <= MAX_CRITERIA:
        raise PlanProblem(
            PlanPart.SUCCESS_RUBRIC,
            f"Give 1 to {MAX_CRITERIA} criteria.",
            "success_rubric.criteria",
        )
    if any(not 1 <= len(criterion) <= MAX_CRITERION_LENGTH for criterion in criteria):
        raise PlanProblem(
            PlanPart.SUCCESS_RUBRIC,
            f"Write each criterion in 1 to {MAX_CRITERION_LENGTH} characters.",
            "success_rubric.criteria",
        )
    if len(set(criteria)) != len(criteria):
        raise PlanProblem(
            PlanPart.SUCCESS_RUBRIC,
            "Each criterion must be different from the others.",
            "success_rubric.criteria",
        )
    return SuccessRubric(kind=rubric.kind, criteria=criteria, prompt=prompt)


def _schema_size_problem(schema: Mapping[str, Any]) -> str | None:
    if len(json.dumps(schema, separators=(",", ":"))) > MAX_SCHEMA_CHARACTERS:
        return f"Keep the schema under {MAX_SCHEMA_CHARACTERS:,} characters of JSON."
    return None
