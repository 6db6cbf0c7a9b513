"""platformToolUpdate: platform admins switch tools off and on and reword them."""

from __future__ import annotations

from orm.models import AgentTool, PlatformTool
from tests.conftest import sign_up
from tests.tools_framework.helpers import (
    AGENT_TOOL_CONFIGURE,
    PLATFORM_TOOL_UPDATE,
    PLATFORM_TOOLS,
    VALID_CALENDAR_CONFIG,
    error_codes,
    make_platform_admin,
    owner_with_agent,
    platform_tool,
    restore_google_calendar,
    uuid_of,
)

CODE_DESCRIPTION = (
    "Books, moves and cancels appointments in a Google Calendar, within business hours "
    "and the calendar's time zone."
)


async def test_a_member_who_is_not_platform_admin_is_forbidden(gql):
    # given
    owner = await owner_with_agent(gql)
    tool = await platform_tool(gql, owner.token, "google_calendar")
    # when
    body = await gql.execute(
        PLATFORM_TOOL_UPDATE, {"input": {"id": tool["id"], "isActive": False}}, token=owner.token
    )
    # then
    assert error_codes(body) == ["FORBIDDEN"]
    row = await PlatformTool.get(name="google_calendar")
    assert row.is_active is True


async def test_anonymous_is_unauthenticated(gql):
    # given
    user = await sign_up(gql)
    tool = await platform_tool(gql, user.token, "google_calendar")
    # when
    body = await gql.execute(PLATFORM_TOOL_UPDATE, {"input": {"id": tool["id"], "isActive": False}})
    # then
    assert error_codes(body) == ["UNAUTHENTICATED"]


async def test_admin_deactivates_then_configuring_is_refused_then_reactivates(gql):
    # given
    admin = await make_platform_admin(gql)
    owner = await owner_with_agent(gql)
    tool = await platform_tool(gql, owner.token, "google_calendar")
    configure = {
        "input": {"agentId": owner.agent_id, "toolId": tool["id"], "config": VALID_CALENDAR_CONFIG}
    }
    try:
        # when
        off = await gql.data(
            PLATFORM_TOOL_UPDATE,
            {"input": {"id": tool["id"], "isActive": False}},
            token=admin.token,
        )
        active_only = await gql.data(PLATFORM_TOOLS, {"onlyActive": True}, token=owner.token)
        refused = await gql.data(AGENT_TOOL_CONFIGURE, configure, token=owner.token)
        on = await gql.data(
            PLATFORM_TOOL_UPDATE,
            {"input": {"id": tool["id"], "isActive": True}},
            token=admin.token,
        )
        accepted = await gql.data(AGENT_TOOL_CONFIGURE, configure, token=owner.token)
    finally:
        await restore_google_calendar()
    # then
    assert off["platformToolUpdate"]["errors"] == []
    assert off["platformToolUpdate"]["platformTool"]["isActive"] is False
    assert off["platformToolUpdate"]["platformTool"]["isAvailable"] is True
    assert "google_calendar" not in [t["name"] for t in active_only["platformTools"]]
    assert refused["agentToolConfigure"] == {
        "agentTool": None,
        "errors": [
            {
                "field": "toolId",
                "message": "This tool is not available now.",
                "code": "TOOL_INACTIVE",
            }
        ],
    }
    assert on["platformToolUpdate"]["platformTool"]["isActive"] is True
    assert accepted["agentToolConfigure"]["errors"] == []
    assert await AgentTool.filter(agent_id=uuid_of(owner.agent_id)).count() == 1


async def test_admin_rewords_a_tool_and_an_empty_description_restores_the_code_s(gql):
    # given
    admin = await make_platform_admin(gql)
    tool = await platform_tool(gql, admin.token, "google_calendar")
    try:
        # when
        reworded = await gql.data(
            PLATFORM_TOOL_UPDATE,
            {"input": {"id": tool["id"], "description": "  Book visits in your calendar.  "}},
            token=admin.token,
        )
        seen = await platform_tool(gql, admin.token, "google_calendar")
        restored = await gql.data(
            PLATFORM_TOOL_UPDATE,
            {"input": {"id": tool["id"], "description": ""}},
            token=admin.token,
        )
    finally:
        await restore_google_calendar()
    # then
    assert reworded["platformToolUpdate"]["platformTool"]["description"] == (
        "Book visits in your calendar."
    )
    assert reworded["platformToolUpdate"]["platformTool"]["isActive"] is True
    assert seen["description"] == "Book visits in your calendar."
    assert restored["platformToolUpdate"]["platformTool"]["description"] == CODE_DESCRIPTION
    row = await PlatformTool.get(name="google_calendar")
    assert (row.custom_description, row.description) == (None, CODE_DESCRIPTION)


async def test_an_unknown_tool_id_is_not_found(gql):
    # given
    admin = await make_platform_admin(gql)
    # when
    body = await gql.execute(
        PLATFORM_TOOL_UPDATE,
        {"input": {"id": "not-a-global-id", "isActive": False}},
        token=admin.token,
    )
    # then
    assert error_codes(body) == ["NOT_FOUND"]
