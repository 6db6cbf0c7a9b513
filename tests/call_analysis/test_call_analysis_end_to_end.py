"""A call driven through Twilio's webhooks ends; its analysis is queued, run against the fake
Gemini, and shows on `Call.analysis`, in the timeline and on the dashboard's live stream,
with structured data valid against the agent's schema."""

from __future__ import annotations

from datetime import timedelta

from jsonschema import Draft202012Validator

from core.events import organization_channel
from orm.models import Call
from tests.call_analysis.helpers import (
    CONVERSATION,
    CRITERIA,
    SCHEMA,
    SUMMARY_PROMPT,
    analysis_of,
    analysis_settings,
    good_answer,
    run_due,
    runner_for,
    talk,
)
from tests.support.ids import global_id
from tests.support.operations import CALL_EVENT_FIELDS, ORGANIZATION_CALL_UPDATES
from tests.support.telephony import start_call, status_params, telephony_app
from tests.support.waiting import subscribed
from tests.support.websocket import graphql_socket

AGENT_UPDATE = """
mutation AgentUpdate($input: AgentUpdateInput!) {
  agentUpdate(input: $input) {
    agent { id analysisPlan { enabled summaryPrompt successRubric { kind criteria } } }
    errors { field message code }
  }
}
"""

CALL_ANALYSIS = (
    """
query CallAnalysis($id: ID!) {
  call(id: $id) {
    status
    analysis {
      status summary model latencyMs error attempts completedAt nextAttemptAt structuredData
      successEvaluation { kind passed score criteria { criterion passed } }
    }
    timeline { ...CallEventFields }
  }
}
"""
    + CALL_EVENT_FIELDS
)


async def test_an_ended_call_is_analysed_as_its_agents_plan_asks(
    server, make, gql, livekit, gemini
):
    # given an agent whose plan asks for a summary, two criteria and structured data
    tenant = await make.tenant("Bright Smile Dental", balance=1000)
    agent = await make.agent(tenant, phone_number=True, system_prompt="Book dental visits.")
    plan = {
        "summaryPrompt": SUMMARY_PROMPT,
        "successRubric": {"kind": "CRITERIA", "criteria": list(CRITERIA)},
        "structuredDataSchema": SCHEMA,
    }
    updated = await gql.ok(
        AGENT_UPDATE,
        {"input": {"id": global_id("Agent", agent.id), "analysisPlan": plan}},
        token=tenant.token,
    )
    assert updated["agent"]["analysisPlan"]["successRubric"] == {
        "kind": "CRITERIA",
        "criteria": list(CRITERIA),
    }
    settings = analysis_settings(server.settings, gemini)

    async with (
        telephony_app(server.settings, livekit, bus=server.bus) as telephony,
        graphql_socket(server.ws_url, tenant.token) as dashboard,
    ):
        await dashboard.subscribe(
            "org", ORGANIZATION_CALL_UPDATES, {"organizationId": tenant.organization_id}
        )
        await subscribed(server.bus, organization_channel(tenant.organization_uuid))

        # when Twilio brings a call, it is answered, the agent talks and books, and it ends
        call = await start_call(telephony, agent.phone_number.e164)
        answered = await telephony.status(status_params(call.twilio_call_sid, "in-progress"))
        assert answered.status_code == 204
        await talk(call)
        hung_up = await telephony.status(
            status_params(call.twilio_call_sid, "completed", CallDuration="42")
        )
        assert hung_up.status_code == 204

        # then the call ended and was charged, and its analysis waits as a job
        ended = await Call.get(id=call.id)
        assert ended.status == "completed"
        job = await analysis_of(ended)
        assert job is not None and job.status == "pending" and job.attempts == 0
        assert ended.ended_at is not None
        assert job.next_attempt_at == ended.ended_at + timedelta(
            seconds=server.settings.analysis_delay_seconds
        )
        assert gemini.requests == []

        # when a runner's pass comes when it is due
        gemini.answer_json(good_answer())
        async with runner_for(settings, server.bus) as runner:
            assert await run_due(runner, call.id) == 1

        # then the dashboard hears of it (after the call's own events)
        while True:
            node = await dashboard.data("org", "organizationCallUpdates")
            if node["__typename"] == "CallAnalyzed":
                break
        assert node["call"]["id"] == global_id("Call", call.id)
        assert node["analysis"]["status"] == "COMPLETED"

    # then Gemini was asked once, with the record and the plan
    [request] = gemini.requests
    assert request.model == settings.analysis_model
    for _, text in CONVERSATION:
        assert text in request.text
    assert "calendar_create_event" in request.text and "Grace Hopper" in request.text
    assert "Book dental visits." in request.text
    assert SUMMARY_PROMPT in request.text
    assert all(criterion in request.text for criterion in CRITERIA)
    assert request.generation_config["responseMimeType"] == "application/json"
    schema = request.response_schema
    assert schema is not None
    assert schema["properties"]["structuredData"] == SCHEMA
    criterion = schema["properties"]["successEvaluation"]["properties"]["criteria"]
    assert criterion["items"]["properties"]["criterion"]["enum"] == list(CRITERIA)

    # and the analysis is on the call, the criteria in the rubric's order
    record = await gql.data(CALL_ANALYSIS, {"id": global_id("Call", call.id)}, token=tenant.token)
    analysis = record["call"]["analysis"]
    assert analysis["status"] == "COMPLETED"
    assert analysis["summary"] == good_answer()["summary"]
    assert analysis["successEvaluation"] == {
        "kind": "CRITERIA",
        "passed": None,
        "score": None,
        "criteria": [
            {"criterion": CRITERIA[0], "passed": True},
            {"criterion": CRITERIA[1], "passed": True},
        ],
    }
    assert analysis["structuredData"] == good_answer()["structuredData"]
    assert list(Draft202012Validator(SCHEMA).iter_errors(analysis["structuredData"])) == []
    assert analysis["model"] == settings.analysis_model
    assert analysis["latencyMs"] >= 0 and analysis["attempts"] == 1
    assert analysis["error"] is None and analysis["nextAttemptAt"] is None
    assert analysis["completedAt"] is not None
    # and `call.analyzed` is the last entry of the record, carrying the same analysis
    last = record["call"]["timeline"][-1]
    assert last["__typename"] == "CallAnalyzed" and last["type"] == "ANALYZED"
    assert last["analysis"] == {key: analysis[key] for key in last["analysis"]}
