"""agentToolUpdate: partial changes; stale function names are shown, never an error."""

from __future__ import annotations

import httpx

from core.tools.loader import load_agent_tools
from core.tools.registry import discover
from orm.models import AgentTool
from tests.tools_framework.helpers import (
    AGENT_TOOL_UPDATE,
    AGENT_TOOLS,
    CALENDAR_FUNCTIONS,
    VALID_CALENDAR_CONFIG,
    configure_calendar,
    owner_with_agent,
    uuid_of,
)


def enabled_map(agent_tool: dict) -> dict[str, bool]:
    return {f["name"]: f["enabled"] for f in agent_tool["functions"]}


async def test_omitted_fields_stay_as_they_are(gql):
    # given
    owner = await owner_with_agent(gql)
    configured = await configure_calendar(gql, owner, disabledFunctions=["calendar_cancel_event"])
    # when
    switched_off = await gql.data(
        AGENT_TOOL_UPDATE,
        {"input": {"id": configured["id"], "enabled": False}},
        token=owner.token,
    )
    new_functions = await gql.data(
        AGENT_TOOL_UPDATE,
        {
            "input": {
                "id": configured["id"],
                "disabledFunctions": ["calendar_create_event", "calendar_reschedule_event"],
            }
        },
        token=owner.token,
    )
    new_config = await gql.data(
        AGENT_TOOL_UPDATE,
        {"input": {"id": configured["id"], "config": {"time_zone": "America/Chicago"}}},
        token=owner.token,
    )
    # then
    first = switched_off["agentToolUpdate"]
    assert first["errors"] == []
    assert first["agentTool"]["isEnabled"] is False
    assert first["agentTool"]["config"] == VALID_CALENDAR_CONFIG
    assert enabled_map(first["agentTool"]) == {
        name: name != "calendar_cancel_event" for name in CALENDAR_FUNCTIONS
    }
    second = new_functions["agentToolUpdate"]["agentTool"]
    assert second["isEnabled"] is False
    assert [name for name, on in enabled_map(second).items() if not on] == [
        "calendar_create_event",
        "calendar_reschedule_event",
    ]
    third = new_config["agentToolUpdate"]["agentTool"]
    assert third["config"] == {"time_zone": "America/Chicago"}
    assert third["isEnabled"] is False
    assert [name for name, on in enabled_map(third).items() if not on] == [
        "calendar_create_event",
        "calendar_reschedule_event",
    ]
    row = await AgentTool.get(id=uuid_of(configured["id"]))
    assert (row.is_enabled, row.config, row.unselected_functions) == (
        False,
        {"time_zone": "America/Chicago"},
        ["calendar_create_event", "calendar_reschedule_event"],
    )


async def test_an_empty_list_enables_every_function(gql):
    # given
    owner = await owner_with_agent(gql)
    configured = await configure_calendar(
        gql, owner, disabledFunctions=["calendar_cancel_event", "calendar_list_events"]
    )
    # when
    data = await gql.data(
        AGENT_TOOL_UPDATE,
        {"input": {"id": configured["id"], "disabledFunctions": []}},
        token=owner.token,
    )
    # then
    assert all(enabled_map(data["agentToolUpdate"]["agentTool"]).values())


async def test_invalid_changes_are_payload_errors_and_change_nothing(gql):
    # given
    owner = await owner_with_agent(gql)
    configured = await configure_calendar(gql, owner)
    # when
    bad_config = await gql.data(
        AGENT_TOOL_UPDATE,
        {
            "input": {
                "id": configured["id"],
                "config": {"default_duration_minutes": 1},
                "enabled": False,
            }
        },
        token=owner.token,
    )
    bad_function = await gql.data(
        AGENT_TOOL_UPDATE,
        {
            "input": {
                "id": configured["id"],
                "disabledFunctions": ["calendar_teleport"],
                "enabled": False,
            }
        },
        token=owner.token,
    )
    # then
    assert bad_config["agentToolUpdate"] == {
        "agentTool": None,
        "errors": [
            {
                "field": "config",
                "message": "default_duration_minutes: 1 is less than the minimum of 5",
                "code": "INVALID_CONFIG",
            }
        ],
    }
    assert bad_function["agentToolUpdate"]["agentTool"] is None
    assert bad_function["agentToolUpdate"]["errors"] == [
        {
            "field": "disabledFunctions",
            "message": "google_calendar has no function 'calendar_teleport'.",
            "code": "UNKNOWN_FUNCTION",
        }
    ]
    row = await AgentTool.get(id=uuid_of(configured["id"]))
    assert (row.is_enabled, row.config, row.unselected_functions) == (
        True,
        VALID_CALENDAR_CONFIG,
        [],
    )


async def test_a_stored_function_the_code_lost_is_shown_stale_and_ignored(gql, server):
    # given: a disabled function name from an older version of the tool
    owner = await owner_with_agent(gql)
    configured = await configure_calendar(gql, owner)
    await AgentTool.filter(id=uuid_of(configured["id"])).update(
        unselected_functions=["calendar_cancel_event", "calendar_teleport"]
    )
    # when
    listed = await gql.data(AGENT_TOOLS, {"id": owner.agent_id}, token=owner.token)
    still_editable = await gql.data(
        AGENT_TOOL_UPDATE, {"input": {"id": configured["id"], "config": {}}}, token=owner.token
    )
    async with httpx.AsyncClient() as http:
        loaded = await load_agent_tools(
            agent_id=uuid_of(owner.agent_id),
            settings=server.settings,
            http=http,
            specs={"google_calendar": discover()["google_calendar"]},
        )
    # then
    (agent_tool,) = listed["agent"]["tools"]
    assert agent_tool["staleFunctions"] == ["calendar_teleport"]
    assert [f["name"] for f in agent_tool["functions"]] == CALENDAR_FUNCTIONS
    assert enabled_map(agent_tool) == {
        name: name != "calendar_cancel_event" for name in CALENDAR_FUNCTIONS
    }
    assert still_editable["agentToolUpdate"]["errors"] == []
    assert still_editable["agentToolUpdate"]["agentTool"]["staleFunctions"] == ["calendar_teleport"]
    assert sorted(f.info.name for f in loaded.functions) == [
        name for name in CALENDAR_FUNCTIONS if name != "calendar_cancel_event"
    ]
    assert list(loaded.runtimes) == ["google_calendar"]
