"""agentToolConfigure: a tool on an agent, its config checked against the tool's schema."""

from __future__ import annotations

import base64
import uuid

import pytest

from orm.models import AgentTool
from tests.tools_framework.helpers import (
    AGENT_TOOL_CONFIGURE,
    AGENT_TOOLS,
    CALENDAR_FUNCTIONS,
    VALID_CALENDAR_CONFIG,
    error_codes,
    owner_with_agent,
    platform_tool,
    uuid_of,
)


def configure_input(owner, tool_id: str, **fields) -> dict:  # type: ignore[no-untyped-def]
    return {
        "input": {
            "agentId": owner.agent_id,
            "toolId": tool_id,
            "config": VALID_CALENDAR_CONFIG,
            **fields,
        }
    }


async def stored_for(owner) -> int:  # type: ignore[no-untyped-def]
    return await AgentTool.filter(agent_id=uuid_of(owner.agent_id)).count()


async def test_a_valid_config_is_stored_and_listed_with_every_function(gql):
    # given
    owner = await owner_with_agent(gql)
    tool = await platform_tool(gql, owner.token, "google_calendar")
    # when
    data = await gql.data(
        AGENT_TOOL_CONFIGURE,
        configure_input(owner, tool["id"], disabledFunctions=["calendar_cancel_event"]),
        token=owner.token,
    )
    listed = await gql.data(AGENT_TOOLS, {"id": owner.agent_id}, token=owner.token)
    # then
    payload = data["agentToolConfigure"]
    assert payload["errors"] == []
    agent_tool = payload["agentTool"]
    assert agent_tool["isEnabled"] is True
    assert agent_tool["config"] == VALID_CALENDAR_CONFIG
    assert agent_tool["secretFieldsSet"] == []
    assert agent_tool["staleFunctions"] == []
    assert agent_tool["tool"] == {"id": tool["id"], "name": "google_calendar", "authType": "OAUTH2"}
    assert agent_tool["connection"] == {"status": "NOT_CONNECTED", "account": None, "reason": None}
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


async def test_a_disabled_tool_keeps_its_config(gql):
    # given
    owner = await owner_with_agent(gql)
    tool = await platform_tool(gql, owner.token, "google_calendar")
    # when
    data = await gql.data(
        AGENT_TOOL_CONFIGURE,
        configure_input(owner, tool["id"], enabled=False, config={}),
        token=owner.token,
    )
    # then
    payload = data["agentToolConfigure"]
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
        ("primary", "Give config (and secretConfig) as JSON objects."),
    ],
    ids=["unknown-property", "bad-time-zone", "too-short", "bad-hour", "wrong-type", "not-object"],
)
async def test_a_config_that_breaks_the_schema_is_a_payload_error(gql, config, message):
    # given
    owner = await owner_with_agent(gql)
    tool = await platform_tool(gql, owner.token, "google_calendar")
    # when
    data = await gql.data(
        AGENT_TOOL_CONFIGURE, configure_input(owner, tool["id"], config=config), token=owner.token
    )
    # then
    assert data["agentToolConfigure"] == {
        "agentTool": None,
        "errors": [{"field": "config", "message": message, "code": "INVALID_CONFIG"}],
    }
    assert await stored_for(owner) == 0


async def test_every_problem_is_reported_at_once(gql):
    # given
    owner = await owner_with_agent(gql)
    tool = await platform_tool(gql, owner.token, "google_calendar")
    # when
    data = await gql.data(
        AGENT_TOOL_CONFIGURE,
        configure_input(
            owner,
            tool["id"],
            config={"time_zone": "Mars/Olympus", "default_duration_minutes": 1},
            disabledFunctions=["calendar_teleport", "calendar_list_events"],
        ),
        token=owner.token,
    )
    # then
    assert sorted((e["field"], e["code"]) for e in data["agentToolConfigure"]["errors"]) == [
        ("config", "INVALID_CONFIG"),
        ("config", "INVALID_CONFIG"),
        ("disabledFunctions", "UNKNOWN_FUNCTION"),
    ]
    assert await stored_for(owner) == 0


async def test_an_unknown_function_is_a_payload_error(gql):
    # given
    owner = await owner_with_agent(gql)
    tool = await platform_tool(gql, owner.token, "google_calendar")
    # when
    data = await gql.data(
        AGENT_TOOL_CONFIGURE,
        configure_input(owner, tool["id"], disabledFunctions=["calendar_teleport"]),
        token=owner.token,
    )
    # then
    assert data["agentToolConfigure"] == {
        "agentTool": None,
        "errors": [
            {
                "field": "disabledFunctions",
                "message": "google_calendar has no function 'calendar_teleport'.",
                "code": "UNKNOWN_FUNCTION",
            }
        ],
    }
    assert await stored_for(owner) == 0


async def test_configuring_the_same_tool_twice_is_refused(gql):
    # given
    owner = await owner_with_agent(gql)
    tool = await platform_tool(gql, owner.token, "google_calendar")
    first = await gql.data(
        AGENT_TOOL_CONFIGURE, configure_input(owner, tool["id"]), token=owner.token
    )
    assert first["agentToolConfigure"]["errors"] == []
    # when
    second = await gql.data(
        AGENT_TOOL_CONFIGURE, configure_input(owner, tool["id"], config={}), token=owner.token
    )
    # then
    assert second["agentToolConfigure"] == {
        "agentTool": None,
        "errors": [
            {
                "field": "toolId",
                "message": "This tool is already on the agent; update it instead.",
                "code": "ALREADY_CONFIGURED",
            }
        ],
    }
    (row,) = await AgentTool.filter(agent_id=uuid_of(owner.agent_id))
    assert row.config == VALID_CALENDAR_CONFIG


@pytest.mark.parametrize(
    "tool_id",
    [
        "garbage",
        base64.b64encode(f"PlatformTool:{uuid.uuid4()}".encode()).decode(),
        base64.b64encode(b"PlatformTool:not-a-uuid").decode(),
        "AGENT",  # replaced by the agent's own global id: right shape, wrong type
    ],
    ids=["garbage", "missing", "bad-uuid", "wrong-type"],
)
async def test_a_tool_id_that_names_no_tool_is_a_payload_error(gql, tool_id):
    # given
    owner = await owner_with_agent(gql)
    tool_id = owner.agent_id if tool_id == "AGENT" else tool_id
    # when
    data = await gql.data(AGENT_TOOL_CONFIGURE, configure_input(owner, tool_id), token=owner.token)
    # then
    assert data["agentToolConfigure"] == {
        "agentTool": None,
        "errors": [{"field": "toolId", "message": "No such tool.", "code": "TOOL_NOT_FOUND"}],
    }
    assert await stored_for(owner) == 0


async def test_secret_config_for_an_oauth_tool_is_refused(gql):
    # given
    owner = await owner_with_agent(gql)
    tool = await platform_tool(gql, owner.token, "google_calendar")
    # when
    data = await gql.data(
        AGENT_TOOL_CONFIGURE,
        configure_input(owner, tool["id"], secretConfig={"access_token": "ya29.planted-token"}),
        token=owner.token,
    )
    # then
    assert data["agentToolConfigure"] == {
        "agentTool": None,
        "errors": [
            {
                "field": "secretConfig",
                "message": "Connect this tool's account instead.",
                "code": "INVALID_SECRET_CONFIG",
            }
        ],
    }
    assert "ya29.planted-token" not in str(data)
    assert await stored_for(owner) == 0


async def test_anonymous_callers_are_unauthenticated(gql):
    # given
    owner = await owner_with_agent(gql)
    tool = await platform_tool(gql, owner.token, "google_calendar")
    # when
    body = await gql.execute(AGENT_TOOL_CONFIGURE, configure_input(owner, tool["id"]))
    # then
    assert error_codes(body) == ["UNAUTHENTICATED"]
    assert await stored_for(owner) == 0
