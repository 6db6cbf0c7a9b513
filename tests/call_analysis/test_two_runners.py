"""Several runners share the queue (`claim_due`: SKIP LOCKED on PostgreSQL, leases on
SQLite): running side by side, they never analyse one call twice, nor record or charge it
twice."""

from __future__ import annotations

import asyncio

from orm.models import CallAnalysis
from tests.call_analysis.helpers import (
    agent_with_plan,
    analysis_settings,
    analyzed_events,
    ended_call,
    good_answer,
    later,
    ledger,
    runner_for,
)

CALLS = 6


async def test_two_runners_never_analyse_one_call_twice(server, make, gemini):
    # given six ended calls, and a model that takes a moment to answer each
    settings = analysis_settings(
        server.settings, gemini, analysis_credits_per_call=3, analysis_concurrency=2
    )
    tenant = await make.tenant("Busy Co", balance=10_000)
    agent = await agent_with_plan(make, tenant)
    ended = [await ended_call(make, tenant, agent, settings) for _ in range(CALLS)]
    for _ in ended:
        gemini.answer_json(good_answer(), delay_seconds=0.2)
    due = later(settings.analysis_delay_seconds + 1)

    # when two runners pass side by side until nothing is left
    async def drain(runner) -> int:
        attempted = 0
        while handled := await runner.run_pass(now=due):
            attempted += handled
        return attempted

    async with runner_for(settings) as one, runner_for(settings) as two:
        counts = await asyncio.gather(drain(one), drain(two))

    # then each call was analysed once, by one of them
    assert sum(counts) == CALLS
    assert len(gemini.requests) == CALLS
    assert await CallAnalysis.filter(status="completed", attempts=1).count() == CALLS
    for call in ended:
        assert len(await analyzed_events(call)) == 1
        assert [entry.amount for entry in await ledger(call, "analysis")] == [-3]
