"""ANALYSIS_CREDITS_PER_CALL: a completed analysis is charged once through the ledger
(reference `analysis:<call id>`), in the transaction that stores it; free at 0."""

from __future__ import annotations

from core.services import credits
from tests.call_analysis.helpers import (
    agent_with_plan,
    analysis_of,
    analysis_settings,
    ended_call,
    good_answer,
    ledger,
    run_due,
    runner_for,
)


async def test_a_completed_analysis_is_charged_once(server, make, gemini):
    # given analyses cost 5 credits, and an ended call of 61 s (20 credits)
    settings = analysis_settings(server.settings, gemini, analysis_credits_per_call=5)
    tenant = await make.tenant("Charged Co", balance=1000)
    call = await ended_call(make, tenant, await agent_with_plan(make, tenant), settings)
    assert await credits.balance_of(tenant.organization_uuid) == 980

    # when it is analysed, and a runner comes by again
    gemini.answer_json(good_answer())
    async with runner_for(settings) as runner:
        assert await run_due(runner, call.id) == 1
        assert await run_due(runner, call.id) == 0

    # then one charge, beside the call's own
    [charge] = await ledger(call, "analysis")
    assert (charge.amount, charge.kind, charge.call_id) == (-5, "charge", call.id)
    assert charge.organization_id == tenant.organization_uuid
    assert charge.balance_after == 975
    assert charge.data == {"analysis": True, "credits_per_call": 5}
    assert await credits.balance_of(tenant.organization_uuid) == 975
    job = await analysis_of(call)
    assert job is not None and job.status == "completed"


async def test_analyses_are_free_by_default(server, make, gemini):
    # given the default ANALYSIS_CREDITS_PER_CALL
    settings = analysis_settings(server.settings, gemini)
    assert settings.analysis_credits_per_call == 0
    tenant = await make.tenant("Free Co", balance=1000)
    call = await ended_call(make, tenant, await agent_with_plan(make, tenant), settings)

    # when
    gemini.answer_json(good_answer())
    async with runner_for(settings) as runner:
        await run_due(runner, call.id)

    # then
    job = await analysis_of(call)
    assert job is not None and job.status == "completed"
    assert await ledger(call, "analysis") == []
    assert await credits.balance_of(tenant.organization_uuid) == 980
