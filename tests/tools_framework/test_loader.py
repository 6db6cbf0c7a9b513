"""The worker-side loader: exactly the enabled tools and functions, with their secrets unsealed."""

from __future__ import annotations

import logging

import httpx

from orm.models import AgentTool, PlatformTool
from tests.support.factories import CALENDAR_CONFIG
from tests.support.ids import global_id
from tests.support.logs import capture_logs
from tests.support.operations import (
    AGENT_TOOL_UPDATE,
    AGENT_TOOLS,
)
from tests.tools_framework.helpers import (
    CALENDAR_FUNCTIONS,
    GOOGLE_CALENDAR,
    create_api_key_tool,
)
from worker.tools.loader import load_agent_tools
from worker.tools.registry import discover

SECRET_A = "sk_live_PLANTED_SECRET_123"
SECRET_B = "sk_live_PLANTED_OTHER_789"


async def put_api_key_tool(make, agent, tool, secret, **fields):  # type: ignore[no-untyped-def]
    return await make.agent_tool(
        agent,
        tool.name,
        config={"store_id": "berlin-1"},
        secret_config={"api_key": secret},
        **fields,
    )


async def load(agent, settings, specs, **kw):  # type: ignore[no-untyped-def]
    async with httpx.AsyncClient() as http:
        return await load_agent_tools(
            agent_id=agent.id, settings=settings, http=http, specs=specs, **kw
        )


async def test_only_enabled_tools_and_functions_load_with_their_secrets(make, server):
    # given: calendar (one function off), an API-key tool, a switched-off one, an inactive one
    tenant = await make.tenant()
    agent = await make.agent(tenant)
    await make.agent_tool(agent, GOOGLE_CALENDAR, disabled_functions=["calendar_cancel_event"])
    orders, orders_spec = await create_api_key_tool()
    switched_off, switched_off_spec = await create_api_key_tool()
    retired, retired_spec = await create_api_key_tool()
    await put_api_key_tool(make, agent, orders, SECRET_A)
    await put_api_key_tool(make, agent, switched_off, SECRET_B, enabled=False)
    await put_api_key_tool(make, agent, retired, SECRET_B)
    await PlatformTool.filter(id=retired.id).update(is_active=False)
    specs = {
        GOOGLE_CALENDAR: discover()[GOOGLE_CALENDAR],
        orders.name: orders_spec,
        switched_off.name: switched_off_spec,
        retired.name: retired_spec,
    }
    # when
    loaded = await load(agent, server.settings, specs)
    narrowed = await load(
        agent,
        server.settings,
        specs,
        only={GOOGLE_CALENDAR: {"calendar_list_my_appointments", "calendar_cancel_event"}},
    )
    # then
    assert sorted(loaded.runtimes) == sorted([GOOGLE_CALENDAR, orders.name])
    runtime = loaded.runtimes[orders.name]
    assert runtime.secrets == {"api_key": SECRET_A}
    assert runtime.config == {"store_id": "berlin-1"}
    assert runtime.settings is server.settings
    calendar = loaded.runtimes[GOOGLE_CALENDAR]
    assert (calendar.config, calendar.secrets) == (CALENDAR_CONFIG, {})
    assert sorted(f.info.name for f in loaded.functions) == sorted(
        [name for name in CALENDAR_FUNCTIONS if name != "calendar_cancel_event"]
        + [f"{orders.name}_lookup"]
    )
    assert "google_calendar.calendar_cancel_event: disabled" in loaded.skipped
    # the snapshot keeps only what it names (and a disabled function stays off)
    assert list(narrowed.runtimes) == [GOOGLE_CALENDAR]
    assert [f.info.name for f in narrowed.functions] == ["calendar_list_my_appointments"]


async def test_a_tool_missing_from_the_worker_s_code_is_skipped(make, server):
    # given
    tenant = await make.tenant()
    agent = await make.agent(tenant)
    orders, _ = await create_api_key_tool()
    await put_api_key_tool(make, agent, orders, SECRET_A)
    # when
    loaded = await load(agent, server.settings, {GOOGLE_CALENDAR: discover()[GOOGLE_CALENDAR]})
    # then
    assert loaded.runtimes == {} and loaded.functions == []
    assert loaded.skipped == [f"{orders.name}: not in this worker's code"]


async def test_a_ciphertext_moved_to_another_row_is_skipped_logged_and_flagged(gql, make, server):
    # given: the same API-key tool on two agents, then A's ciphertext copied onto B's row
    tenant = await make.tenant()
    agent_a = await make.agent(tenant)
    agent_b = await make.agent(tenant, name="Second")
    orders, spec = await create_api_key_tool()
    on_a = await put_api_key_tool(make, agent_a, orders, SECRET_A)
    on_b = await put_api_key_tool(make, agent_b, orders, SECRET_B)
    row_a = await AgentTool.get(id=on_a.id)
    await AgentTool.filter(id=on_b.id).update(sensitive_config=row_a.sensitive_config)
    specs = {orders.name: spec}
    # when
    with capture_logs() as logs:
        loaded_b = await load(agent_b, server.settings, specs)
        loaded_a = await load(agent_a, server.settings, specs)
    listed = await gql.data(AGENT_TOOLS, {"id": global_id("Agent", agent_b.id)}, token=tenant.token)
    flagged = await AgentTool.get(id=on_b.id)
    reset = await gql.payload(
        AGENT_TOOL_UPDATE,
        {
            "input": {
                "id": global_id("AgentTool", on_b.id),
                "secretConfig": {"api_key": SECRET_B},
            }
        },
        token=tenant.token,
    )
    reloaded_b = await load(agent_b, server.settings, specs)
    # then: B's tool is left out, A's still works
    assert loaded_b.runtimes == {} and loaded_b.functions == []
    assert loaded_b.skipped == [f"{orders.name}: secrets unreadable"]
    assert loaded_a.runtimes[orders.name].secrets == {"api_key": SECRET_A}
    # an error is logged naming the row, without the value or the ciphertext
    errors = [
        r for r in logs.records if r.levelno >= logging.ERROR and r.name == "worker.tools.loader"
    ]
    assert len(errors) == 1
    assert errors[0].agent_tool_id == str(on_b.id)  # type: ignore[attr-defined]
    for text in logs.texts():
        assert SECRET_A not in text and SECRET_B not in text
        assert row_a.sensitive_config not in text
    # the row needs its owner's attention (an API-key tool has no OAuth `connection`)
    assert flagged.needs_reconnect is True
    assert flagged.reconnect_reason == "Its secrets could not be read; set them again."
    assert listed["agent"]["tools"][0]["connection"] is None
    assert SECRET_A not in str(listed) and SECRET_B not in str(listed)
    # setting the secret again repairs it
    assert reset["errors"] == []
    assert reloaded_b.runtimes[orders.name].secrets == {"api_key": SECRET_B}
    repaired = await AgentTool.get(id=on_b.id)
    assert (repaired.needs_reconnect, repaired.reconnect_reason) == (False, None)
