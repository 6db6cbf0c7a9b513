"""When the model fails: malformed and schema-violating answers, HTTP errors, timeouts and an
unreachable API are retried with backoff, then the analysis fails with its error, recorded
as `call.analyzed`; the call's end and its charge never wait for any of it, and a failed
analysis is never charged."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.call_events import decode
from tests.call_analysis.helpers import (
    CRITERIA,
    agent_with_plan,
    analysis_of,
    analysis_settings,
    analyzed_events,
    ended_call,
    good_answer,
    ledger,
    run_due,
    runner_for,
)
from tests.support.ids import global_id

CALL_ANALYSIS = """
query CallAnalysis($id: ID!) {
  call(id: $id) { analysis { status error attempts nextAttemptAt completedAt summary } }
}
"""


async def _failing_call(server, make, gemini, **overrides):
    settings = analysis_settings(
        server.settings,
        gemini,
        analysis_max_attempts=3,
        analysis_credits_per_call=7,
        **overrides,
    )
    tenant = await make.tenant("Failures Co", balance=1000)
    call = await ended_call(make, tenant, await agent_with_plan(make, tenant), settings)
    return settings, tenant, call


async def test_malformed_answers_are_retried_then_the_analysis_fails(server, make, gemini, gql):
    # given an ended call, and a model that answers no JSON, three times
    settings, tenant, call = await _failing_call(server, make, gemini)
    for _ in range(3):
        gemini.answer_text('{"summary": "Grace booked')

    async with runner_for(settings) as runner:
        # when the first two attempts fail
        for attempt in (1, 2):
            before = datetime.now(UTC)
            assert await run_due(runner, call.id) == 1

            # then it stays pending, with the error and a later next attempt
            job = await analysis_of(call)
            assert job is not None
            assert (job.status, job.attempts) == ("pending", attempt)
            assert job.error == "malformed_answer: the answer is not JSON"
            assert job.claimed_until is None and job.next_attempt_at > before
            assert await analyzed_events(call) == []

        # when the last attempt fails too
        assert await run_due(runner, call.id) == 1

    # then the analysis failed, and `call.analyzed` says so
    job = await analysis_of(call)
    assert job is not None
    assert (job.status, job.attempts, job.summary) == ("failed", 3, None)
    assert job.error == "malformed_answer: the answer is not JSON"
    [event] = await analyzed_events(call)
    result = decode(event.type, event.data).result  # type: ignore[attr-defined]
    assert (result.status.value, result.error, result.attempts) == ("failed", job.error, 3)
    analysis = (
        await gql.data(CALL_ANALYSIS, {"id": global_id("Call", call.id)}, token=tenant.token)
    )["call"]["analysis"]
    assert analysis == {
        "status": "FAILED",
        "error": job.error,
        "attempts": 3,
        "nextAttemptAt": None,
        "completedAt": None,
        "summary": None,
    }
    # and nothing more is asked: a failed analysis is finished
    async with runner_for(settings) as runner:
        assert await run_due(runner, call.id) == 0
    assert len(gemini.requests) == 3
    # and a failed analysis is not charged; the call was
    assert await ledger(call, "analysis") == []
    assert len(await ledger(call, "call")) == 1


@pytest.mark.parametrize(
    ("wrong", "error"),
    [
        (
            good_answer(structuredData={"caller_name": "Grace", "wants_callback": "yes"}),
            "schema_violation: structuredData: wants_callback: 'yes' is not of type 'boolean'",
        ),
        (
            good_answer(
                structuredData={"caller_name": "Grace", "wants_callback": False, "x": 1}
                | {"appointment_day": "sunday"}
            ),
            "schema_violation: structuredData: appointment_day: 'sunday' is not one of",
        ),
        (
            good_answer(
                successEvaluation={"criteria": [{"criterion": CRITERIA[0], "passed": True}]}
            ),
            "schema_violation: successEvaluation.criteria:",
        ),
        (
            good_answer(
                successEvaluation={
                    "criteria": [
                        {"criterion": CRITERIA[0], "passed": True},
                        {"criterion": CRITERIA[0], "passed": False},
                    ]
                }
            ),
            "schema_violation: successEvaluation.criteria: not judged: " + CRITERIA[1],
        ),
        ({"summary": "  ", **{k: v for k, v in good_answer().items() if k != "summary"}}, None),
        (["not", "an", "object"], "malformed_answer: the answer is not a JSON object"),
    ],
    ids=["wrong-type", "not-in-enum", "criterion-missing", "criterion-twice", "empty", "array"],
)
async def test_an_answer_that_breaks_the_schema_is_retried(server, make, gemini, wrong, error):
    # given an ended call; the model first answers wrong, then right
    settings, _, call = await _failing_call(server, make, gemini)
    gemini.answer_json(wrong)
    gemini.answer_json(good_answer())

    async with runner_for(settings) as runner:
        # when
        await run_due(runner, call.id)

        # then the wrong answer is not stored: the analysis is retried
        job = await analysis_of(call)
        assert job is not None and job.status == "pending" and job.structured_data is None
        assert job.error is not None
        assert job.error.startswith(error or "schema_violation: summary: is empty"), job.error

        # when the retry gets a right answer
        await run_due(runner, call.id)

    # then it completed on the second attempt, and is charged once
    job = await analysis_of(call)
    assert job is not None
    assert (job.status, job.attempts, job.error) == ("completed", 2, None)
    assert job.structured_data == good_answer()["structuredData"]
    [charge] = await ledger(call, "analysis")
    assert charge.amount == -7


@pytest.mark.parametrize(
    ("status", "retried"), [(429, True), (500, True), (503, True), (400, False), (403, False)]
)
async def test_http_errors_are_retried_unless_they_would_repeat(
    server, make, gemini, status, retried
):
    # given an ended call and a model that answers an HTTP error
    settings, _, call = await _failing_call(server, make, gemini)
    gemini.fail(status)

    # when
    async with runner_for(settings) as runner:
        assert await run_due(runner, call.id) == 1

    # then
    job = await analysis_of(call)
    assert job is not None
    assert job.error is not None and job.error.startswith(f"http_{status}: ")
    assert job.status == ("pending" if retried else "failed")
    assert len(await analyzed_events(call)) == (0 if retried else 1)
    assert await ledger(call, "analysis") == []


async def test_a_model_that_answers_too_late_is_retried(server, make, gemini):
    # given a model slower than the timeout, then a prompt one
    settings, _, call = await _failing_call(server, make, gemini, analysis_timeout_seconds=0.3)
    gemini.answer_json(good_answer(), delay_seconds=3)
    gemini.answer_json(good_answer())

    async with runner_for(settings) as runner:
        # when
        await run_due(runner, call.id)

        # then
        job = await analysis_of(call)
        assert job is not None
        assert (job.status, job.error) == ("pending", "timeout: no answer in time")

        # when
        await run_due(runner, call.id)

    # then
    job = await analysis_of(call)
    assert job is not None and job.status == "completed"


async def test_a_blocked_prompt_is_retried(server, make, gemini):
    # given
    settings, _, call = await _failing_call(server, make, gemini)
    gemini.block()

    # when
    async with runner_for(settings) as runner:
        await run_due(runner, call.id)

    # then
    job = await analysis_of(call)
    assert job is not None and job.status == "pending"
    assert job.error is not None and job.error.startswith("no_answer: ")


async def test_gemini_being_down_neither_blocks_the_end_nor_the_charge(server, make, gemini):
    # given Gemini unreachable
    await gemini.stop()
    settings = analysis_settings(server.settings, gemini, analysis_max_attempts=2)
    tenant = await make.tenant("Failures Co", balance=1000)
    agent = await agent_with_plan(make, tenant)

    # when a call ends
    call = await ended_call(make, tenant, agent, settings)

    # then it ended and was charged at once; its analysis waits
    assert call.status == "completed" and call.ended_at is not None
    [charge] = await ledger(call, "call")
    assert charge.amount == -20
    job = await analysis_of(call)
    assert job is not None and job.status == "pending"

    # when the runner tries while Gemini is down, until it gives up
    async with runner_for(settings) as runner:
        await run_due(runner, call.id)
        job = await analysis_of(call)
        assert job is not None
        assert (job.status, job.error) == ("pending", "unreachable: ConnectError")
        await run_due(runner, call.id)

    # then the analysis failed; the call and its charge are as they were
    job = await analysis_of(call)
    assert job is not None and job.status == "failed"
    assert [entry.id for entry in await ledger(call, "call")] == [charge.id]
    assert await ledger(call, "analysis") == []
