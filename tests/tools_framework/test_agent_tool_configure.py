"""agentToolConfigure: a tool on an agent, its config checked against the tool's schema."""

from __future__ import annotations

import base64

import pytest

from orm.models import AgentTool
from tests.support.factories import CALENDAR_CONFIG
from tests.support.graphql import error_codes
from tests.support.ids import fake_global_id, global_id, uuid_of
from tests.support.operations import AGENT_TOOL_CONFIGURE, AGENT_TOOLS, PLATFORM_TOOLS
from tests.tools_framework.helpers import CALENDAR_FUNCTIONS, GOOGLE_CALENDAR, calendar_tool_id


def configure_input(agent, tool_id: str, **fields) -> dict:  # type: ignore[no-untyped-def]
    return {
        "input": {
            "agentId": global_id("Agent", agent.id),
            "toolId": tool_id,
            "config": CALENDAR_CONFIG,
            **fields,
        }
    }


async def stored_for(agent) -> int:  # type: ignore[no-untyped-def]
    return await AgentTool.filter(agent_id=agent.id).count()


async def test_a_valid_config_is_stored_and_listed_with_every_function(gql, make):
    # given
    tenant = await make.tenant()
    agent = await make.agent(tenant)
    listed_tools = await gql.data(PLATFORM_TOOLS, {}, token=tenant.token)
    (tool,) = [t for t in listed_tools["platformTools"] if t["name"] == GOOGLE_CALENDAR]
    # when
    payload = await gql.payload(
        AGENT_TOOL_CONFIGURE,
        configure_input(agent, tool["id"], disabledFunctions=["calendar_cancel_event"]),
        token=tenant.token,
    )
    listed = await gql.data(AGENT_TOOLS, {"id": global_id("Agent", agent.id)}, token=tenant.token)
    # then
    assert payload["errors"] == []
    agent_tool = payload["agentTool"]
    assert agent_tool["isEnabled"] is True
    assert agent_tool["config"] == CALENDAR_CONFIG
    assert agent_tool["secretFieldsSet"] == []
    assert agent_tool["staleFunctions"] == []
    assert agent_tool["tool"] == {"id": tool["id"], "name": GOOGLE_CALENDAR, "authType": "OAUTH2"}
    assert agent_tool["connection"] == {
        "status": "NOT_CONNECTED",
        "account": None,
        "connectedAt": None,
        "reason": None,
    }
    assert [(f["name"], f["enabled"]) for f in agent_tool["functions"]] == [
        (name, name != "calendar_cancel_event") for name in CALENDAR_FUNCTIONS
    ]
    by_name = {f["name"]: f for f in tool["functions"]}
    for function in agent_tool["functions"]:
        assert function["description"] == by_name[function["name"]]["description"]
        assert function["parameters"] == by_name[function["name"]]["parameters"]
    assert listed["agent"]["tools"] == [agent_tool]
    row = await AgentTool.get(id=uuid_of(agent_tool["id"]))
    assert row.unselected_functions == ["calendar_cancel_event"]
    assert row.sensitive_config is None


async def test_a_disabled_tool_keeps_its_config(gql, make):
    # given
    tenant = await make.tenant()
    agent = await make.agent(tenant)
    # when
    payload = await gql.payload(
        AGENT_TOOL_CONFIGURE,
        configure_input(agent, await calendar_tool_id(), enabled=False, config={}),
        token=tenant.token,
    )
    # then
    assert payload["errors"] == []
    assert payload["agentTool"]["isEnabled"] is False
    assert payload["agentTool"]["config"] == {}
    assert all(f["enabled"] for f in payload["agentTool"]["functions"])


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"colour": "blue"}, "Additional properties are not allowed ('colour' was unexpected)"),
        ({"time_zone": "Mars/Olympus"}, "time_zone: 'Mars/Olympus' is not a 'time-zone'"),
        (
            {"default_duration_minutes": 1},
            "default_duration_minutes: 1 is less than the minimum of 5",
        ),
        (
            {"business_hours": {"start": "25:00", "end": "17:00", "days": [1]}},
            "business_hours.start: '25:00' does not match '^([01][0-9]|2[0-3]):[0-5][0-9]$'",
        ),
        ({"calendar_id": 42}, "calendar_id: 42 is not of type 'string'"),
        ("primary", "Give a JSON object."),
    ],
    ids=["unknown-property", "bad-time-zone", "too-short", "bad-hour", "wrong-type", "not-object"],
)
async def test_a_config_that_breaks_the_schema_is_a_payload_error(gql, make, config, message):
    # given
    tenant = await make.tenant()
    agent = await make.agent(tenant)
    # when
    payload = await gql.payload(
        AGENT_TOOL_CONFIGURE,
        configure_input(agent, await calendar_tool_id(), config=config),
        token=tenant.token,
    )
    # then
    assert payload == {
        "agentTool": None,
        "errors": [{"field": "config", "message": message, "code": "INVALID_CONFIG"}],
    }
    assert await stored_for(agent) == 0


async def test_secret_config_that_is_not_an_object_is_its_own_payload_error(gql, make):
    # given
    tenant = await make.tenant()
    agent = await make.agent(tenant)
    # when
    payload = await gql.payload(
        AGENT_TOOL_CONFIGURE,
        configure_input(agent, await calendar_tool_id(), secretConfig="not-an-object"),
        token=tenant.token,
    )
    # then
    assert payload == {
        "agentTool": None,
        "errors": [
            {
                "field": "secretConfig",
                "message": "Give a JSON object.",
                "code": "INVALID_SECRET_CONFIG",
            }
        ],
    }
    assert await stored_for(agent) == 0


async def test_every_problem_is_reported_at_once(gql, make):
    # given
    tenant = await make.tenant()
    agent = await make.agent(tenant)
    # when
    payload = await gql.payload(
        AGENT_TOOL_CONFIGURE,
        configure_input(
            agent,
            await calendar_tool_id(),
            config={"time_zone": "Mars/Olympus", "default_duration_minutes": 1},
            disabledFunctions=["calendar_teleport", "calendar_list_my_appointments"],
        ),
        token=tenant.token,
    )
    # then
    assert sorted((e["field"], e["code"]) for e in payload["errors"]) == [
        ("config", "INVALID_CONFIG"),
        ("config", "INVALID_CONFIG"),
        ("disabledFunctions", "UNKNOWN_FUNCTION"),
    ]
    assert payload["agentTool"] is None
    assert await stored_for(agent) == 0


async def test_an_unknown_function_is_a_payload_error(gql, make):
    # given
    tenant = await make.tenant()
    agent = await make.agent(tenant)
    # when
    payload = await gql.payload(
        AGENT_TOOL_CONFIGURE,
        configure_input(agent, await calendar_tool_id(), disabledFunctions=["calendar_teleport"]),
        token=tenant.token,
    )
    # then
    assert payload == {
        "agentTool": None,
        "errors": [
            {
                "field": "disabledFunctions",
                "message": "google_calendar has no function 'calendar_teleport'.",
                "code": "UNKNOWN_FUNCTION",
            }
        ],
    }
    assert await stored_for(agent) == 0


async def test_configuring_the_same_tool_twice_is_refused(gql, make):
    # given
    tenant = await make.tenant()
    agent = await make.agent(tenant)
    await make.agent_tool(agent, GOOGLE_CALENDAR, config=CALENDAR_CONFIG)
    # when
    second = await gql.payload(
        AGENT_TOOL_CONFIGURE,
        configure_input(agent, await calendar_tool_id(), config={}),
        token=tenant.token,
    )
    # then
    assert second == {
        "agentTool": None,
        "errors": [
            {
                "field": "toolId",
                "message": "This tool is already on the agent; update it instead.",
                "code": "ALREADY_CONFIGURED",
            }
        ],
    }
    (row,) = await AgentTool.filter(agent_id=agent.id)
    assert row.config == CALENDAR_CONFIG


@pytest.mark.parametrize(
    "tool_id",
    [
        "garbage",
        fake_global_id("PlatformTool"),
        base64.b64encode(b"PlatformTool:not-a-uuid").decode(),
        "AGENT",  # replaced by the agent's own global id: right shape, wrong type
    ],
    ids=["garbage", "missing", "bad-uuid", "wrong-type"],
)
async def test_a_tool_id_that_names_no_tool_is_a_payload_error(gql, make, tool_id):
    # given
    tenant = await make.tenant()
    agent = await make.agent(tenant)
    tool_id = global_id("Agent", agent.id) if tool_id == "AGENT" else tool_id
    # when
    payload = await gql.payload(
        AGENT_TOOL_CONFIGURE, configure_input(agent, tool_id), token=tenant.token
    )
    # then
    assert payload == {
        "agentTool": None,
        "errors": [{"field": "toolId", "message": "No such tool.", "code": "TOOL_NOT_FOUND"}],
    }
    assert await stored_for(agent) == 0


async def test_secret_config_for_an_oauth_tool_is_refused(gql, make):
    # given
    tenant = await make.tenant()
    agent = await make.agent(tenant)
    # when
    response = await gql.raw(
        AGENT_TOOL_CONFIGURE,
        configure_input(
            agent,
            await calendar_tool_id(),
            secretConfig={"access_token": "ya29.planted-token"},
        ),
        token=tenant.token,
    )
    # then
    assert response.status_code == 200
    assert response.json()["data"]["agentToolConfigure"] == {
        "agentTool": None,
        "errors": [
            {
                "field": "secretConfig",
                "message": "Connect this tool's account instead.",
                "code": "INVALID_SECRET_CONFIG",
            }
        ],
    }
    assert "ya29.planted-token" not in response.text
    assert await stored_for(agent) == 0


async def test_anonymous_callers_are_unauthenticated(gql, make):
    # given
    tenant = await make.tenant()
    agent = await make.agent(tenant)
    # when
    body = await gql.execute(AGENT_TOOL_CONFIGURE, configure_input(agent, await calendar_tool_id()))
    # then
    assert error_codes(body) == ["UNAUTHENTICATED"]
    assert body["data"] is None
    assert await stored_for(agent) == 0
