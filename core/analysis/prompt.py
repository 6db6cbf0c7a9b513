"""The analysis request built from a call's record and its plan, and the answer checked.

The model gets the agent's instructions, the conversation with the agent's tool calls in
order, and one JSON response schema: `summary`, `successEvaluation` shaped by the plan's
rubric, and `structuredData` by the plan's schema. The answer is parsed and checked here
against the same rules (jsonschema); an answer that breaks them is an `AnswerProblem`,
which the runner retries like a failed request.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from core.analysis.plan import AnalysisPlan, RubricKind
from core.analysis.result import CriterionResult, EvaluationKind, SuccessEvaluation
from core.call_events import (
    CallEventType,
    Speaker,
    ToolInvoked,
    TranscriptSegment,
    Transfer,
    decode,
)
from core.call_snapshot import CallSnapshot
from core.services.tool_config import config_problems
from orm.models import Call, CallEvent

# What of a call's timeline the model reads: the conversation and what the agent did.
RECORD_TYPES = (
    CallEventType.TRANSCRIPT_SEGMENT,
    CallEventType.TOOL_INVOKED,
    CallEventType.TRANSFER,
)
# A bound on the record sent (about 50,000 words: far beyond a four-hour call's transcript);
# the start of the call is kept, and the cut is said.
MAX_RECORD_CHARACTERS = 300_000
_SPEAKERS = {Speaker.AGENT: "Agent", Speaker.CALLER: "Caller"}

SYSTEM_INSTRUCTION = """\
You analyse a phone call that has ended, between an AI voice agent and a person on the \
phone. You are given the agent's instructions and the call's record: what each side said \
and the tools the agent used. Answer with one JSON object that follows the response \
schema exactly, and nothing else. Base every statement on the record; do not invent \
details."""


@dataclass(frozen=True)
class AnalysisRequest:
    system_instruction: str
    prompt: str
    response_schema: dict[str, Any]


@dataclass(frozen=True)
class Answer:
    summary: str
    success_evaluation: SuccessEvaluation | None
    structured_data: dict[str, Any] | None


class AnswerProblem(Exception):
    """The model's answer is not JSON, or breaks the response schema."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind  # "malformed_answer" or "schema_violation": safe to log


async def build(call: Call) -> AnalysisRequest:
    """The request for this call, from its snapshot's plan and its record."""
    snapshot = CallSnapshot.from_stored(call.snapshot)
    rows = await CallEvent.filter(
        call_id=call.id, type__in=[event_type.value for event_type in RECORD_TYPES]
    ).order_by("seq")
    return request_for(call, snapshot, rows)


def request_for(call: Call, snapshot: CallSnapshot, rows: Iterable[CallEvent]) -> AnalysisRequest:
    plan = snapshot.analysis_plan
    return AnalysisRequest(
        system_instruction=SYSTEM_INSTRUCTION,
        prompt=_prompt(call, snapshot, rows),
        response_schema=response_schema(plan),
    )


def _prompt(call: Call, snapshot: CallSnapshot, rows: Iterable[CallEvent]) -> str:
    plan = snapshot.analysis_plan
    parts = [
        "## What to answer",
        f"summary: {plan.summary_prompt}",
        *_rubric_instructions(plan),
    ]
    if plan.structured_data_schema is not None:
        parts.append(
            "structuredData: the data the response schema describes, taken from the call; "
            "leave out what the call does not tell (or use null where the schema allows it)."
        )
    parts += [
        "",
        "## The call",
        f"Direction: {call.direction}. Duration: {call.duration_seconds or 0} seconds. "
        f"Ended: {call.ended_reason or call.status}.",
        "",
        f"## The agent's instructions (agent: {snapshot.agent_name or 'unnamed'})",
        snapshot.system_prompt or "(none)",
        "",
        "## The record (in order; tool calls in brackets)",
        _record(rows),
    ]
    return "\n".join(parts)


def _rubric_instructions(plan: AnalysisPlan) -> list[str]:
    rubric = plan.success_rubric
    lines: list[str] = []
    if rubric.kind is RubricKind.PASS_FAIL:
        lines.append(
            "successEvaluation.passed: true if the call achieved what the agent is for, "
            "false if not."
        )
    elif rubric.kind is RubricKind.SCORE_1_TO_10:
        lines.append(
            "successEvaluation.score: how well the call achieved what the agent is for, an "
            "integer from 1 (not at all) to 10 (completely)."
        )
    elif rubric.kind is RubricKind.CRITERIA:
        lines.append(
            "successEvaluation.criteria: one entry per criterion below, each with the "
            "criterion's exact text and whether the call met it:"
        )
        lines += [f"- {criterion}" for criterion in rubric.criteria]
    if rubric.kind is not RubricKind.NONE and rubric.prompt:
        lines.append(f"What success means for this agent: {rubric.prompt}")
    return lines


def _record(rows: Iterable[CallEvent]) -> str:
    lines: list[str] = []
    size = 0
    for row in rows:
        line = _line(row)
        if line is None:
            continue
        if size + len(line) > MAX_RECORD_CHARACTERS:
            lines.append("[the rest of the record is left out: it is too long]")
            break
        lines.append(line)
        size += len(line) + 1
    return "\n".join(lines) if lines else "(nothing was said)"


def _line(row: CallEvent) -> str | None:
    try:
        payload = decode(row.type, row.data)
    except (ValueError, KeyError, TypeError):
        return None  # a row this version cannot read says nothing to the model
    if isinstance(payload, TranscriptSegment):
        return f"{_SPEAKERS[payload.speaker]}: {payload.text}"
    if isinstance(payload, ToolInvoked):
        arguments = json.dumps(dict(payload.arguments), ensure_ascii=False, sort_keys=True)
        outcome = payload.outcome.value + (f" ({payload.message})" if payload.message else "")
        return f"[tool {payload.function} {arguments} -> {outcome}]"
    if isinstance(payload, Transfer):
        reason = f" ({payload.reason})" if payload.reason else ""
        return f"[transfer to a person -> {payload.outcome.value}{reason}]"
    return None


# --- the response schema and the answer ----------------------------------------------------


def response_schema(plan: AnalysisPlan) -> dict[str, Any]:
    """The JSON schema the model's answer must follow (Gemini's `responseJsonSchema`)."""
    properties: dict[str, Any] = {
        "summary": {"type": "string", "description": plan.summary_prompt},
    }
    required = ["summary"]
    evaluation = _evaluation_schema(plan)
    if evaluation is not None:
        properties["successEvaluation"] = evaluation
        required.append("successEvaluation")
    schema: dict[str, Any] = {"type": "object", "properties": properties, "required": required}
    if plan.structured_data_schema is not None:
        structured = dict(plan.structured_data_schema)
        # The plan's `$defs` move to the root, where its `#/$defs/...` references point.
        definitions = structured.pop("$defs", None)
        structured.pop("$schema", None)
        if definitions is not None:
            schema["$defs"] = definitions
        properties["structuredData"] = structured
        required.append("structuredData")
    return schema


def _evaluation_schema(plan: AnalysisPlan) -> dict[str, Any] | None:
    rubric = plan.success_rubric
    if rubric.kind is RubricKind.PASS_FAIL:
        return _object({"passed": {"type": "boolean"}})
    if rubric.kind is RubricKind.SCORE_1_TO_10:
        return _object({"score": {"type": "integer", "minimum": 1, "maximum": 10}})
    if rubric.kind is RubricKind.CRITERIA:
        item = _object(
            {
                "criterion": {"type": "string", "enum": list(rubric.criteria)},
                "passed": {"type": "boolean"},
            }
        )
        return _object(
            {
                "criteria": {
                    "type": "array",
                    "items": item,
                    "minItems": len(rubric.criteria),
                    "maxItems": len(rubric.criteria),
                }
            }
        )
    return None


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": list(properties)}


def read_answer(text: str | None, plan: AnalysisPlan) -> Answer:
    """The model's answer, checked against the plan; AnswerProblem when it is not right."""
    try:
        answer = json.loads(text or "")
    except ValueError:
        raise AnswerProblem("malformed_answer", "the answer is not JSON") from None
    if not isinstance(answer, dict):
        raise AnswerProblem("malformed_answer", "the answer is not a JSON object")
    envelope = response_schema(AnalysisPlan(success_rubric=plan.success_rubric))
    problems = config_problems(answer, envelope)
    summary = answer.get("summary")
    if not problems and not (isinstance(summary, str) and summary.strip()):
        problems = ["summary: is empty"]
    structured: dict[str, Any] | None = None
    if plan.structured_data_schema is not None:
        data = answer.get("structuredData")
        if not isinstance(data, dict):
            problems.append("structuredData: is not an object")
        else:
            # Validated on its own, as the root of the plan's schema (its references too).
            problems += [
                f"structuredData: {problem}"
                for problem in config_problems(data, dict(plan.structured_data_schema))
            ]
            structured = data
    if problems:
        raise AnswerProblem("schema_violation", "; ".join(problems))
    assert isinstance(summary, str)
    return Answer(
        summary=summary.strip(),
        success_evaluation=_evaluation(answer.get("successEvaluation"), plan),
        structured_data=structured,
    )


def _evaluation(value: Any, plan: AnalysisPlan) -> SuccessEvaluation | None:
    rubric = plan.success_rubric
    if rubric.kind is RubricKind.NONE or not isinstance(value, Mapping):
        return None
    if rubric.kind is RubricKind.PASS_FAIL:
        return SuccessEvaluation(kind=EvaluationKind.PASS_FAIL, passed=bool(value["passed"]))
    if rubric.kind is RubricKind.SCORE_1_TO_10:
        return SuccessEvaluation(kind=EvaluationKind.SCORE, score=int(value["score"]))
    judged = {item["criterion"]: bool(item["passed"]) for item in value["criteria"]}
    if set(judged) != set(rubric.criteria):
        missing = [criterion for criterion in rubric.criteria if criterion not in judged]
        raise AnswerProblem(
            "schema_violation", f"successEvaluation.criteria: not judged: {', '.join(missing)}"
        )
    return SuccessEvaluation(
        kind=EvaluationKind.CRITERIA,
        criteria=tuple(
            CriterionResult(criterion=criterion, passed=judged[criterion])
            for criterion in rubric.criteria
        ),
    )
