"""The incoming-call webhook's agent snapshot: its tools part is read in full once per version
(core/agent_tools_cache.py), and a change that committed is in the very next call's snapshot.

The changes below are made through the services, as the API process or the worker of another
replica makes them: nothing tells this process's cache, which only sees the database."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from tortoise.transactions import in_transaction

from core.agent_tools_cache import agent_tools_cache
from core.call_snapshot import CallSnapshot
from core.services import agent_tools, agents, calls, custom_functions
from core.tools.sync import sync_platform_tools
from orm.models import AgentTool, Call, CallEvent, PlatformTool, VoiceAgent
from tests.support.telephony import TwiML, call_by_sid, voice_params
from worker.tools.registry import discover
from worker.tools.sync import sync_code_tools


async def _call_snapshot(telephony: Any, agent: VoiceAgent) -> dict[str, Any]:
    params = voice_params(agent.phone_number.e164)
    TwiML.parse(await telephony.voice(params))
    call = await call_by_sid(params["CallSid"])
    assert call is not None
    return call.snapshot


async def _as_read_now(agent: VoiceAgent) -> dict[str, Any]:
    """The snapshot read in full from the rows as they are (no cache)."""
    return (await CallSnapshot.of_agent(await VoiceAgent.get(id=agent.id))).as_stored()


async def test_an_unchanged_agent_is_snapshotted_without_reading_its_tools_again(make, telephony):
    # given an agent with a tool and a custom function, called once
    tenant = await make.tenant("Cached Co")
    agent = await make.agent(tenant, phone_number=True)
    await make.agent_tool(agent, "google_calendar")
    lookup = await make.custom_function(tenant, name="lookup_order")
    await custom_functions.set_for_agent(agent=agent, function_ids=[lookup.id])
    first = await _call_snapshot(telephony, agent)
    reads = agent_tools_cache.reads

    # when: more calls, nothing changed
    second = await _call_snapshot(telephony, agent)
    third = await _call_snapshot(telephony, agent)

    # then: the same snapshot, the tools not read again
    assert first == second == third == await _as_read_now(agent)
    assert first["tools"]["google_calendar"] and first["custom_functions"] == ["lookup_order"]
    assert agent_tools_cache.reads == reads


async def test_every_committed_change_of_tools_or_functions_is_in_the_next_calls_snapshot(
    make, telephony
):
    # given an agent with a tool and a custom function, its snapshot cached by a first call
    tenant = await make.tenant("Changing Co")
    agent = await make.agent(tenant, phone_number=True)
    agent_tool = await make.agent_tool(agent, "google_calendar")
    lookup = await make.custom_function(tenant, name="lookup_order")
    await custom_functions.set_for_agent(agent=agent, function_ids=[lookup.id])
    await _call_snapshot(telephony, agent)

    async def disable_a_function() -> None:
        await agent_tools.update(
            agent_tool=await AgentTool.get(id=agent_tool.id).select_related("tool"),
            changes=agent_tools.AgentToolChanges(disabled_functions=["calendar_cancel_event"]),
            settings=make.settings,
        )

    async def switch_the_tool_off() -> None:
        await agent_tools.update(
            agent_tool=await AgentTool.get(id=agent_tool.id).select_related("tool"),
            changes=agent_tools.AgentToolChanges(enabled=False),
            settings=make.settings,
        )

    async def switch_it_on_behind_the_orm() -> None:
        # a bulk update, which does not touch `updated_at`: the version holds the flag itself
        await AgentTool.filter(id=agent_tool.id).update(is_enabled=True)

    async def rename_the_function() -> None:
        await custom_functions.update(
            function=lookup,
            changes=custom_functions.CustomFunctionChanges(name="find_order"),
            settings=make.settings,
        )

    async def deactivate_the_function() -> None:
        await custom_functions.update(
            function=lookup,
            changes=custom_functions.CustomFunctionChanges(is_active=False),
            settings=make.settings,
        )

    async def reactivate_the_function() -> None:
        await custom_functions.update(
            function=lookup,
            changes=custom_functions.CustomFunctionChanges(is_active=True),
            settings=make.settings,
        )

    async def unlink_every_function() -> None:
        await custom_functions.set_for_agent(agent=agent, function_ids=[])

    async def edit_the_agent() -> None:
        await agents.update(
            agent=await VoiceAgent.get(id=agent.id),
            changes=agents.AgentChanges(system_prompt="You sell ice cream."),
            settings=make.settings,
        )

    async def remove_the_tool() -> None:
        await agent_tools.remove(
            agent_tool=await AgentTool.get(id=agent_tool.id).select_related("tool")
        )

    for change in (
        disable_a_function,
        switch_the_tool_off,
        switch_it_on_behind_the_orm,
        rename_the_function,
        deactivate_the_function,
        reactivate_the_function,
        unlink_every_function,
        edit_the_agent,
        remove_the_tool,
    ):
        before = await _as_read_now(agent)

        # when
        await change()

        # then: the next call runs with the rows as they are now
        expected = await _as_read_now(agent)
        assert expected != before, change.__name__  # each step changes the snapshot
        assert await _call_snapshot(telephony, agent) == expected, change.__name__


async def test_a_platform_tool_changed_by_a_deploy_or_an_admin_is_in_the_next_snapshot(
    make, telephony
):
    # given an agent with the calendar tool, its snapshot cached by a first call
    tenant = await make.tenant("Platform Co")
    agent = await make.agent(tenant, phone_number=True)
    await make.agent_tool(agent, "google_calendar")
    first = await _call_snapshot(telephony, agent)
    calendar = await PlatformTool.get(name="google_calendar")
    try:
        # when: a deploy drops one of the tool's functions (what `tools sync` stores)
        specs = discover()
        definitions = {name: spec.definition for name, spec in specs.items()}
        reduced = definitions["google_calendar"]
        dropped = reduced.functions[0].name
        definitions["google_calendar"] = dataclasses.replace(
            reduced, functions=reduced.functions[1:]
        )
        await sync_platform_tools(definitions)

        # then
        after_deploy = await _call_snapshot(telephony, agent)
        assert dropped in first["tools"]["google_calendar"]
        assert dropped not in after_deploy["tools"]["google_calendar"]
        assert after_deploy == await _as_read_now(agent)

        # when: a platform admin switches the tool off
        await agent_tools.update_platform_tool(
            tool=await PlatformTool.get(id=calendar.id),
            changes=agent_tools.PlatformToolChanges(is_active=False),
        )

        # then
        assert "google_calendar" not in (await _call_snapshot(telephony, agent))["tools"]
    finally:
        await agent_tools.update_platform_tool(
            tool=await PlatformTool.get(id=calendar.id),
            changes=agent_tools.PlatformToolChanges(is_active=True),
        )
        await sync_code_tools()

    # then: back as it was, in the next call too
    assert await _call_snapshot(telephony, agent) == first


async def test_a_call_is_recorded_with_its_first_event_or_not_at_all(make, telephony, monkeypatch):
    # given an agent's number, and a first event that cannot be stored
    tenant = await make.tenant("Atomic Co")
    agent = await make.agent(tenant, phone_number=True)
    params = voice_params(agent.phone_number.e164)

    async def refused(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the event could not be stored")

    monkeypatch.setattr(CallEvent, "create", refused)

    # when
    with pytest.raises(RuntimeError):
        await calls.start_inbound(
            twilio_call_sid=params["CallSid"],
            from_number=params["From"],
            to_number=params["To"],
            rooms=None,  # never reached: the call is refused before its room is opened
            settings=telephony.settings,
            bus=None,
        )

    # then: no call without its first event (they are written in one transaction)
    assert await Call.get_or_none(twilio_call_sid=params["CallSid"]) is None
    monkeypatch.undo()
    async with in_transaction():  # the database is usable afterwards
        assert await CallEvent.filter(call__twilio_call_sid=params["CallSid"]).count() == 0
