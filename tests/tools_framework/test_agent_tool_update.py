"""agentToolUpdate: partial changes; stale function names are shown, never an error."""

from __future__ import annotations

import httpx

from orm.models import AgentTool
from tests.support.factories import CALENDAR_CONFIG
from tests.support.ids import global_id
from tests.support.operations import (
    AGENT_TOOL_UPDATE,
    AGENT_TOOLS,
)
from tests.tools_framework.helpers import (
    CALENDAR_FUNCTIONS,
    GOOGLE_CALENDAR,
)
from worker.tools.loader import load_agent_tools
from worker.tools.registry import discover


def enabled_map(agent_tool: dict) -> dict[str, bool]:
    return {f["name"]: f["enabled"] for f in agent_tool["functions"]}


async def _calendar_on_agent(make, **fields):  # type: ignore[no-untyped-def]
    tenant = await make.tenant()
    agent = await make.agent(tenant)
    configured = await make.agent_tool(agent, GOOGLE_CALENDAR, **fields)
    return tenant, agent, configured


async def test_omitted_fields_stay_as_they_are(gql, make):
    # given
    tenant, _, configured = await _calendar_on_agent(
        make, disabled_functions=["calendar_cancel_event"]
    )
    configured_id = global_id("AgentTool", configured.id)
    # when
    first = await gql.payload(
        AGENT_TOOL_UPDATE, {"input": {"id": configured_id, "enabled": False}}, token=tenant.token
    )
    second = await gql.payload(
        AGENT_TOOL_UPDATE,
        {
            "input": {
                "id": configured_id,
                "disabledFunctions": ["calendar_create_event", "calendar_reschedule_event"],
            }
        },
        token=tenant.token,
    )
    third = await gql.payload(
        AGENT_TOOL_UPDATE,
        {"input": {"id": configured_id, "config": {"time_zone": "America/Chicago"}}},
        token=tenant.token,
    )
    # then
    assert first["errors"] == second["errors"] == third["errors"] == []
    assert first["agentTool"]["isEnabled"] is False
    assert first["agentTool"]["config"] == CALENDAR_CONFIG
    assert enabled_map(first["agentTool"]) == {
        name: name != "calendar_cancel_event" for name in CALENDAR_FUNCTIONS
    }
    assert second["agentTool"]["isEnabled"] is False
    assert second["agentTool"]["config"] == CALENDAR_CONFIG
    assert [name for name, on in enabled_map(second["agentTool"]).items() if not on] == [
        "calendar_create_event",
        "calendar_reschedule_event",
    ]
    assert third["agentTool"]["config"] == {"time_zone": "America/Chicago"}
    assert third["agentTool"]["isEnabled"] is False
    assert [name for name, on in enabled_map(third["agentTool"]).items() if not on] == [
        "calendar_create_event",
        "calendar_reschedule_event",
    ]
    row = await AgentTool.get(id=configured.id)
    assert (row.is_enabled, row.config, row.unselected_functions) == (
        False,
        {"time_zone": "America/Chicago"},
        ["calendar_create_event", "calendar_reschedule_event"],
    )


async def test_an_empty_list_enables_every_function(gql, make):
    # given
    tenant, _, configured = await _calendar_on_agent(
        make, disabled_functions=["calendar_cancel_event", "calendar_list_my_appointments"]
    )
    # when
    payload = await gql.payload(
        AGENT_TOOL_UPDATE,
        {"input": {"id": global_id("AgentTool", configured.id), "disabledFunctions": []}},
        token=tenant.token,
    )
    # then
    assert payload["errors"] == []
    assert enabled_map(payload["agentTool"]) == {name: True for name in CALENDAR_FUNCTIONS}
    assert (await AgentTool.get(id=configured.id)).unselected_functions == []


async def test_invalid_changes_are_payload_errors_and_change_nothing(gql, make):
    # given
    tenant, _, configured = await _calendar_on_agent(make)
    configured_id = global_id("AgentTool", configured.id)
    # when
    bad_config = await gql.payload(
        AGENT_TOOL_UPDATE,
        {
            "input": {
                "id": configured_id,
                "config": {"default_duration_minutes": 1},
                "enabled": False,
            }
        },
        token=tenant.token,
    )
    bad_function = await gql.payload(
        AGENT_TOOL_UPDATE,
        {
            "input": {
                "id": configured_id,
                "disabledFunctions": ["calendar_teleport"],
                "enabled": False,
            }
        },
        token=tenant.token,
    )
    # then
    assert bad_config == {
        "agentTool": None,
        "errors": [
            {
                "field": "config",
                "message": "default_duration_minutes: 1 is less than the minimum of 5",
                "code": "INVALID_CONFIG",
            }
        ],
    }
    assert bad_function == {
        "agentTool": None,
        "errors": [
            {
                "field": "disabledFunctions",
                "message": "google_calendar has no function 'calendar_teleport'.",
                "code": "UNKNOWN_FUNCTION",
            }
        ],
    }
    row = await AgentTool.get(id=configured.id)
    assert (row.is_enabled, row.config, row.unselected_functions) == (True, CALENDAR_CONFIG, [])


async def test_a_stored_function_the_code_lost_is_shown_stale_and_ignored(gql, make, server):
    # given: a disabled function name from an older version of the tool
    tenant, agent, configured = await _calendar_on_agent(make)
    await AgentTool.filter(id=configured.id).update(
        unselected_functions=["calendar_cancel_event", "calendar_teleport"]
    )
    # when
    listed = await gql.data(AGENT_TOOLS, {"id": global_id("Agent", agent.id)}, token=tenant.token)
    still_editable = await gql.payload(
        AGENT_TOOL_UPDATE,
        {"input": {"id": global_id("AgentTool", configured.id), "config": {}}},
        token=tenant.token,
    )
    async with httpx.AsyncClient() as http:
        loaded = await load_agent_tools(
            agent_id=agent.id,
            settings=server.settings,
            http=http,
            specs={GOOGLE_CALENDAR: discover()[GOOGLE_CALENDAR]},
        )
    # then
    (agent_tool,) = listed["agent"]["tools"]
    assert agent_tool["staleFunctions"] == ["calendar_teleport"]
    assert [f["name"] for f in agent_tool["functions"]] == CALENDAR_FUNCTIONS
    assert enabled_map(agent_tool) == {
        name: name != "calendar_cancel_event" for name in CALENDAR_FUNCTIONS
    }
    assert still_editable["errors"] == []
    assert still_editable["agentTool"]["staleFunctions"] == ["calendar_teleport"]
    assert sorted(f.info.name for f in loaded.functions) == [
        name for name in CALENDAR_FUNCTIONS if name != "calendar_cancel_event"
    ]
    assert list(loaded.runtimes) == [GOOGLE_CALENDAR]
