"""platformToolUpdate: platform admins switch tools off and on and reword them."""

from __future__ import annotations

from orm.models import AgentTool, PlatformTool
from tests.support.factories import CALENDAR_CONFIG
from tests.support.graphql import error_codes
from tests.support.ids import global_id
from tests.support.operations import (
    AGENT_TOOL_CONFIGURE,
    PLATFORM_TOOL_UPDATE,
    PLATFORM_TOOLS,
)
from tests.tools_framework.helpers import (
    GOOGLE_CALENDAR,
    calendar_tool_id,
)

CODE_DESCRIPTION = (
    "Books, moves and cancels appointments in a Google Calendar, within business hours "
    "and the calendar's time zone."
)


async def test_a_member_who_is_not_platform_admin_is_forbidden(gql, make):
    # given
    tenant = await make.tenant()
    # when
    body = await gql.execute(
        PLATFORM_TOOL_UPDATE,
        {"input": {"id": await calendar_tool_id(), "isActive": False}},
        token=tenant.token,
    )
    # then
    assert error_codes(body) == ["FORBIDDEN"]
    row = await PlatformTool.get(name=GOOGLE_CALENDAR)
    assert row.is_active is True


async def test_anonymous_is_unauthenticated(gql):
    # given
    tool_id = await calendar_tool_id()
    # when
    body = await gql.execute(PLATFORM_TOOL_UPDATE, {"input": {"id": tool_id, "isActive": False}})
    # then
    assert error_codes(body) == ["UNAUTHENTICATED"]
    row = await PlatformTool.get(name=GOOGLE_CALENDAR)
    assert row.is_active is True


async def test_admin_deactivates_then_configuring_is_refused_then_reactivates(gql, make):
    # given
    admin = await make.platform_admin()
    tenant = await make.tenant()
    agent = await make.agent(tenant)
    tool_id = await calendar_tool_id()
    configure = {
        "input": {
            "agentId": global_id("Agent", agent.id),
            "toolId": tool_id,
            "config": CALENDAR_CONFIG,
        }
    }
    # when
    off = await gql.payload(
        PLATFORM_TOOL_UPDATE, {"input": {"id": tool_id, "isActive": False}}, token=admin.token
    )
    active_only = await gql.data(PLATFORM_TOOLS, {"onlyActive": True}, token=tenant.token)
    refused = await gql.payload(AGENT_TOOL_CONFIGURE, configure, token=tenant.token)
    on = await gql.payload(
        PLATFORM_TOOL_UPDATE, {"input": {"id": tool_id, "isActive": True}}, token=admin.token
    )
    accepted = await gql.payload(AGENT_TOOL_CONFIGURE, configure, token=tenant.token)
    # then
    assert off["errors"] == []
    assert off["platformTool"]["isActive"] is False
    assert off["platformTool"]["isAvailable"] is True
    assert GOOGLE_CALENDAR not in [t["name"] for t in active_only["platformTools"]]
    assert refused == {
        "agentTool": None,
        "errors": [
            {
                "field": "toolId",
                "message": "This tool is not available now.",
                "code": "TOOL_INACTIVE",
            }
        ],
    }
    assert on["errors"] == []
    assert on["platformTool"]["isActive"] is True
    assert accepted["errors"] == []
    assert await AgentTool.filter(agent_id=agent.id).count() == 1


async def test_admin_rewords_a_tool_and_an_empty_description_restores_the_code_s(gql, make):
    # given
    admin = await make.platform_admin()
    tool_id = await calendar_tool_id()
    # when
    reworded = await gql.payload(
        PLATFORM_TOOL_UPDATE,
        {"input": {"id": tool_id, "description": "  Book visits in your calendar.  "}},
        token=admin.token,
    )
    listed = await gql.data(PLATFORM_TOOLS, {}, token=admin.token)
    restored = await gql.payload(
        PLATFORM_TOOL_UPDATE, {"input": {"id": tool_id, "description": ""}}, token=admin.token
    )
    # then
    assert reworded["errors"] == []
    assert reworded["platformTool"]["description"] == "Book visits in your calendar."
    assert reworded["platformTool"]["isActive"] is True
    (seen,) = [t for t in listed["platformTools"] if t["name"] == GOOGLE_CALENDAR]
    assert seen["description"] == "Book visits in your calendar."
    assert restored["errors"] == []
    assert restored["platformTool"]["description"] == CODE_DESCRIPTION
    row = await PlatformTool.get(name=GOOGLE_CALENDAR)
    assert (row.custom_description, row.description) == (None, CODE_DESCRIPTION)


async def test_an_unknown_tool_id_is_not_found(gql, make):
    # given
    admin = await make.platform_admin()
    # when
    body = await gql.execute(
        PLATFORM_TOOL_UPDATE,
        {"input": {"id": "not-a-global-id", "isActive": False}},
        token=admin.token,
    )
    # then
    assert error_codes(body) == ["NOT_FOUND"]
