"""platformTools: what the platform offers, read from the database."""

from __future__ import annotations

from tests.support.graphql import error_codes
from tests.support.operations import PLATFORM_TOOLS
from tests.tools_framework.helpers import CALENDAR_FUNCTIONS, GOOGLE_CALENDAR


async def test_anonymous_callers_are_unauthenticated(gql):
    # when
    body = await gql.execute(PLATFORM_TOOLS, {})
    # then
    assert error_codes(body) == ["UNAUTHENTICATED"]
    assert body["data"] is None


async def test_lists_google_calendar_with_its_functions_as_json(gql, make):
    # given: any signed-in person, in no organization
    person = await make.account()
    # when
    data = await gql.data(PLATFORM_TOOLS, {}, token=person.token)
    # then
    (tool,) = [tool for tool in data["platformTools"] if tool["name"] == GOOGLE_CALENDAR]
    assert tool["displayName"] == "Google Calendar"
    assert tool["authType"] == "OAUTH2"
    assert (tool["isActive"], tool["isAvailable"]) == (True, True)
    assert [function["name"] for function in tool["functions"]] == CALENDAR_FUNCTIONS
    functions = {function["name"]: function for function in tool["functions"]}
    cancel = functions["calendar_cancel_event"]
    assert cancel["description"] == "Cancel one of the caller's own appointments."
    assert cancel["parameters"] == {
        "type": "object",
        "title": "CalendarCancelEventArgs",
        "properties": {
            "event_id": {
                "description": (
                    "The appointment's id, from calendar_list_my_appointments or a booking."
                ),
                "title": "Event Id",
                "type": "string",
            }
        },
        "required": ["event_id"],
    }
    assert tool["configSchema"]["additionalProperties"] is False
    assert set(tool["configSchema"]["properties"]) == {
        "calendar_id",
        "time_zone",
        "default_duration_minutes",
        "business_hours",
    }
    assert tool["configSchema"]["properties"]["time_zone"]["format"] == "time-zone"
