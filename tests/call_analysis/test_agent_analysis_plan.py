"""`Agent.analysisPlan`, and `analysisPlan` on agentCreate / agentUpdate: defaults, whole-plan
replacement, and coded errors that change nothing (the schema refused exactly like a custom
function's parameters)."""

from __future__ import annotations

import pytest

from orm.models import VoiceAgent
from tests.call_analysis.helpers import CRITERIA, SCHEMA, SUMMARY_PROMPT
from tests.support.ids import global_id
from tests.support.operations import CUSTOM_FUNCTION_CREATE
from tests.tools_http.helpers import function_input

PLAN_FIELDS = """
analysisPlan {
  enabled summaryPrompt structuredDataSchema
  successRubric { kind criteria prompt }
}
"""
AGENT_CREATE = f"""
mutation AgentCreate($input: AgentCreateInput!) {{
  agentCreate(input: $input) {{ agent {{ id {PLAN_FIELDS} }} errors {{ field message code }} }}
}}
"""
AGENT_UPDATE = f"""
mutation AgentUpdate($input: AgentUpdateInput!) {{
  agentUpdate(input: $input) {{ agent {{ id {PLAN_FIELDS} }} errors {{ field message code }} }}
}}
"""
DEFAULTS = {
    "enabled": True,
    "summaryPrompt": (
        "Summarize the call in two or three sentences: why the caller called, what the agent "
        "did for them, and how the call ended."
    ),
    "structuredDataSchema": None,
    "successRubric": {"kind": "NONE", "criteria": [], "prompt": None},
}
PLAN = {
    "summaryPrompt": f"  {SUMMARY_PROMPT}  ",
    "successRubric": {
        "kind": "CRITERIA",
        "criteria": list(CRITERIA),
        "prompt": "A booked visit is a success.",
    },
    "structuredDataSchema": SCHEMA,
}


def _create(tenant, **fields):
    return {
        "input": {
            "organizationId": tenant.organization_id,
            "name": "Ada",
            "systemPrompt": "Book dental visits.",
            **fields,
        }
    }


async def test_an_agent_has_the_default_plan_until_one_is_set(make, gql):
    # given
    tenant = await make.tenant("Plan Co")

    # when
    created = await gql.ok(AGENT_CREATE, _create(tenant), token=tenant.token)

    # then
    assert created["agent"]["analysisPlan"] == DEFAULTS
    # stored as null: the defaults stay the platform's, not a copy
    agent = await VoiceAgent.get(organization_id=tenant.organization_uuid)
    assert agent.analysis_plan is None


async def test_a_plan_is_set_replaced_and_reset(make, gql):
    # given an agent created with a plan
    tenant = await make.tenant("Plan Co")
    created = await gql.ok(AGENT_CREATE, _create(tenant, analysisPlan=PLAN), token=tenant.token)
    agent_id = created["agent"]["id"]

    # then it is stored trimmed
    assert created["agent"]["analysisPlan"] == {
        "enabled": True,
        "summaryPrompt": SUMMARY_PROMPT,
        "structuredDataSchema": SCHEMA,
        "successRubric": {
            "kind": "CRITERIA",
            "criteria": list(CRITERIA),
            "prompt": "A booked visit is a success.",
        },
    }

    # when a new plan replaces it: what it leaves out takes the defaults
    replaced = await gql.ok(
        AGENT_UPDATE,
        {"input": {"id": agent_id, "analysisPlan": {"successRubric": {"kind": "PASS_FAIL"}}}},
        token=tenant.token,
    )

    # then
    assert replaced["agent"]["analysisPlan"] == {
        **DEFAULTS,
        "successRubric": {"kind": "PASS_FAIL", "criteria": [], "prompt": None},
    }

    # when another field changes, the plan stays
    renamed = await gql.ok(
        AGENT_UPDATE, {"input": {"id": agent_id, "name": "Ada 2"}}, token=tenant.token
    )
    assert renamed["agent"]["analysisPlan"] == replaced["agent"]["analysisPlan"]

    # when the plan is switched off, then reset with null
    off = await gql.ok(
        AGENT_UPDATE,
        {"input": {"id": agent_id, "analysisPlan": {"enabled": False}}},
        token=tenant.token,
    )
    reset = await gql.ok(
        AGENT_UPDATE, {"input": {"id": agent_id, "analysisPlan": None}}, token=tenant.token
    )

    # then
    assert off["agent"]["analysisPlan"] == {**DEFAULTS, "enabled": False}
    assert reset["agent"]["analysisPlan"] == DEFAULTS


@pytest.mark.parametrize(
    ("plan", "field", "code"),
    [
        ({"summaryPrompt": "   "}, "analysisPlan.summaryPrompt", "INVALID_SUMMARY_PROMPT"),
        ({"summaryPrompt": "x" * 4001}, "analysisPlan.summaryPrompt", "INVALID_SUMMARY_PROMPT"),
        (
            {"successRubric": {"kind": "CRITERIA"}},
            "analysisPlan.successRubric.criteria",
            "INVALID_SUCCESS_RUBRIC",
        ),
        (
            {"successRubric": {"kind": "CRITERIA", "criteria": ["Booked", " Booked "]}},
            "analysisPlan.successRubric.criteria",
            "INVALID_SUCCESS_RUBRIC",
        ),
        (
            {"successRubric": {"kind": "CRITERIA", "criteria": [f"c{i}" for i in range(21)]}},
            "analysisPlan.successRubric.criteria",
            "INVALID_SUCCESS_RUBRIC",
        ),
        (
            {"successRubric": {"kind": "CRITERIA", "criteria": ["ok", ""]}},
            "analysisPlan.successRubric.criteria",
            "INVALID_SUCCESS_RUBRIC",
        ),
        (
            {"successRubric": {"kind": "PASS_FAIL", "criteria": ["Booked"]}},
            "analysisPlan.successRubric.criteria",
            "INVALID_SUCCESS_RUBRIC",
        ),
        (
            {"successRubric": {"kind": "SCORE_1_TO_10", "prompt": "x" * 4001}},
            "analysisPlan.successRubric.prompt",
            "INVALID_SUCCESS_RUBRIC",
        ),
        (
            {"structuredDataSchema": {"type": "string"}},
            "analysisPlan.structuredDataSchema",
            "INVALID_STRUCTURED_DATA_SCHEMA",
        ),
        (
            {"structuredDataSchema": ["type", "object"]},
            "analysisPlan.structuredDataSchema",
            "INVALID_STRUCTURED_DATA_SCHEMA",
        ),
        (
            {"structuredDataSchema": {"type": "object", "properties": {"a": {"type": "nope"}}}},
            "analysisPlan.structuredDataSchema",
            "INVALID_STRUCTURED_DATA_SCHEMA",
        ),
        (
            {
                "structuredDataSchema": {
                    "type": "object",
                    "properties": {f"field_{i}": {"type": "string"} for i in range(1000)},
                }
            },
            "analysisPlan.structuredDataSchema",
            "INVALID_STRUCTURED_DATA_SCHEMA",
        ),
    ],
)
async def test_an_invalid_plan_is_refused_and_changes_nothing(make, gql, plan, field, code):
    # given an agent with a plan
    tenant = await make.tenant("Plan Co")
    created = await gql.ok(AGENT_CREATE, _create(tenant, analysisPlan=PLAN), token=tenant.token)
    agent_id = created["agent"]["id"]

    # when
    refused_create = await gql.payload(
        AGENT_CREATE, _create(tenant, name="Bea", analysisPlan=plan), token=tenant.token
    )
    refused_update = await gql.payload(
        AGENT_UPDATE,
        {"input": {"id": agent_id, "name": "Renamed", "analysisPlan": plan}},
        token=tenant.token,
    )

    # then
    for refused in (refused_create, refused_update):
        assert refused["agent"] is None
        assert [(e["field"], e["code"]) for e in refused["errors"]] == [(field, code)]
    assert await VoiceAgent.filter(organization_id=tenant.organization_uuid).count() == 1
    agent = await VoiceAgent.get(organization_id=tenant.organization_uuid)
    assert agent.name == "Ada"
    assert agent.analysis_plan is not None
    assert agent.analysis_plan["summary_prompt"] == SUMMARY_PROMPT
    assert created["agent"]["id"] == global_id("Agent", agent.id)


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "object", "properties": {"a": {"type": "nope"}}},
        {"type": "object", "required": "a"},
        {"properties": {}},
    ],
)
async def test_a_schema_is_refused_like_custom_function_parameters(make, gql, schema):
    # given
    tenant = await make.tenant("Plan Co")

    # when the same schema is given as a plan's and as a custom function's
    plan = await gql.payload(
        AGENT_CREATE,
        _create(tenant, analysisPlan={"structuredDataSchema": schema}),
        token=tenant.token,
    )
    function = await gql.payload(
        CUSTOM_FUNCTION_CREATE,
        function_input(tenant.organization_id, parameters=schema),
        token=tenant.token,
    )

    # then both are refused with the same explanation
    [plan_error] = plan["errors"]
    [function_error] = [e for e in function["errors"] if e["field"] == "parameters"]
    assert function_error["code"] == "INVALID_PARAMETERS"
    assert plan_error["code"] == "INVALID_STRUCTURED_DATA_SCHEMA"
    assert plan_error["message"] == function_error["message"]
