"""The analysis job: queued once, in the transaction that ends an answered call whose plan
(the one the call started with) is enabled; never for a call nobody answered."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.analysis.plan import AnalysisPlan
from core.call_snapshot import CallSnapshot
from core.services import agents
from core.services.calls import CallStatus, apply_status
from orm.models import Call, CallAnalysis
from tests.call_analysis.helpers import (
    SUMMARY_PROMPT,
    agent_with_plan,
    analysis_of,
    analysis_settings,
    ended_call,
    good_answer,
    run_due,
    runner_for,
    talk,
)


async def test_a_call_ended_by_every_source_gets_one_analysis(server, make):
    # given an answered call
    settings = server.settings
    tenant = await make.tenant("Jobs Co")
    agent = await agent_with_plan(make, tenant)
    call = await make.call(tenant, agent, answered_seconds_ago=30)

    # when the worker, Twilio and LiveKit all report its end
    for source in ("worker", "twilio", "livekit"):
        await apply_status(
            call_id=call.id, status=CallStatus.COMPLETED, source=source, bus=None, settings=settings
        )

    # then one analysis is owed, due the configured delay after the end
    ended = await Call.get(id=call.id)
    [job] = await CallAnalysis.filter(call_id=call.id)
    assert (job.status, job.attempts, job.organization_id) == (
        "pending",
        0,
        tenant.organization_uuid,
    )
    assert ended.ended_at is not None
    assert job.next_attempt_at == ended.ended_at + timedelta(
        seconds=settings.analysis_delay_seconds
    )
    assert job.summary is None and job.claimed_until is None


@pytest.mark.parametrize(
    "status", [CallStatus.NO_ANSWER, CallStatus.BUSY, CallStatus.CANCELED, CallStatus.FAILED]
)
async def test_a_call_nobody_answered_is_not_analysed(server, make, status):
    # given a ringing call
    tenant = await make.tenant("Jobs Co")
    call = await make.call(tenant, await agent_with_plan(make, tenant))

    # when it ends unanswered
    await apply_status(
        call_id=call.id, status=status, source="twilio", bus=None, settings=server.settings
    )

    # then
    assert await analysis_of(call) is None


async def test_an_agent_whose_plan_is_off_gets_no_analysis(server, make):
    # given
    tenant = await make.tenant("Jobs Co")
    agent = await agent_with_plan(make, tenant, AnalysisPlan(enabled=False))

    # when
    call = await ended_call(make, tenant, agent, server.settings)

    # then
    assert call.status == "completed"
    assert await analysis_of(call) is None


async def test_a_platform_without_analysis_queues_none(server, make):
    # given ANALYSIS_ENABLED=false
    settings = server.settings.model_copy(update={"analysis_enabled": False})
    tenant = await make.tenant("Jobs Co")

    # when
    call = await ended_call(make, tenant, await agent_with_plan(make, tenant), settings)

    # then
    assert await analysis_of(call) is None


async def test_a_call_recorded_before_plans_existed_gets_the_default_plan(server, make):
    # given a call whose snapshot has no plan (written before analysis plans existed)
    tenant = await make.tenant("Jobs Co")
    agent = await make.agent(tenant)
    stored = (await CallSnapshot.of_agent(agent)).as_stored()
    del stored["analysis_plan"]
    call = await make.call(tenant, agent, answered_seconds_ago=20, snapshot=stored)

    # when
    await apply_status(
        call_id=call.id,
        status=CallStatus.COMPLETED,
        source="worker",
        bus=None,
        settings=server.settings,
    )

    # then the defaults hold: analysed, with the default summary prompt
    assert CallSnapshot.from_stored(stored).analysis_plan == AnalysisPlan()
    assert await analysis_of(call) is not None


async def test_editing_the_plan_changes_the_next_call_only(server, make, gemini):
    # given a call that began under PLAN
    settings = analysis_settings(server.settings, gemini)
    tenant = await make.tenant("Jobs Co")
    agent = await agent_with_plan(make, tenant)
    first = await make.call(tenant, agent, answered_seconds_ago=20)

    # when the plan is replaced by the defaults while it goes on, and it ends
    await agents.update(
        agent=agent, changes=agents.AgentChanges(analysis_plan=None), settings=settings
    )
    await talk(first)
    await apply_status(
        call_id=first.id, status=CallStatus.COMPLETED, source="worker", bus=None, settings=settings
    )
    second = await ended_call(make, tenant, agent, settings)
    gemini.answer_json(good_answer())
    gemini.answer_json({"summary": "Grace booked Monday."})
    async with runner_for(settings) as runner:
        assert await run_due(runner, first.id) == 1
        assert await run_due(runner, second.id) == 1

    # then the first call was analysed with the plan it began with, the next one without it
    old, new = gemini.requests
    assert (
        SUMMARY_PROMPT in old.text and "structuredData" in (old.response_schema or {})["properties"]
    )
    assert SUMMARY_PROMPT not in new.text
    assert AnalysisPlan().summary_prompt in new.text
    assert set((new.response_schema or {})["properties"]) == {"summary"}
    done = await analysis_of(second)
    assert done is not None and done.status == "completed"
    assert done.success_evaluation is None and done.structured_data is None
