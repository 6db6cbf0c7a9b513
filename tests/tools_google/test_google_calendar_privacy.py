"""The Calendar tool tells a caller when the calendar is free, never what is in it, and lets a
caller move or cancel only what this agent booked for the number they call from.

Bookings carry private extended properties (Google Calendar API `extendedProperties.private`):
a hash of the caller's number and the agent's id. A caller lists their own bookings through a
`privateExtendedProperty` filter, and a move or cancel checks the properties of the event
first; any other event is "not found", exactly like one that does not exist.
"""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from tests.support.factories import CALLER_NUMBER
from tests.tools_google.helpers import (
    BERLIN_NINE_TO_FIVE,
    CalendarTool,
    berlin,
    book,
    call_tools,
    connect,
    connected_calendar_tool,
    next_monday,
)
from worker.tools.loader import load_agent_tools

OTHER_CALLER = "+14155550177"
NOT_FOUND = "That was not found in the calendar."


def at(day, hhmm: str) -> str:
    return f"{day.isoformat()}T{hhmm}"


@pytest.fixture
def monday():
    return next_monday()


def changes_sent(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.method for r in app.google.calendar_requests() if r.method in ("PATCH", "DELETE")]


async def test_no_function_lists_the_calendars_events(app, make):
    # given
    calendar = await connected_calendar_tool(app, make)

    # when: the functions the model is offered on a call
    async with httpx.AsyncClient() as http:
        loaded = await load_agent_tools(
            agent_id=calendar.agent.id, settings=app.settings, http=http
        )

    # then: availability is free/busy; listing is of the caller's own bookings only
    assert sorted(function.info.name for function in loaded.functions) == [
        "calendar_cancel_event",
        "calendar_check_availability",
        "calendar_create_event",
        "calendar_list_my_appointments",
        "calendar_reschedule_event",
    ]


async def test_a_caller_lists_only_what_was_booked_from_their_number(app, make, monday):
    # given: the owner's own appointment, another caller's booking and two of the caller's
    calendar = await connected_calendar_tool(app, make)
    app.google.add_event(
        start=berlin(monday, "09:00"), end=berlin(monday, "09:30"), summary="Root canal: Bob Smith"
    )
    theirs = await book(
        app, calendar, at(monday, "10:00"), caller_number=OTHER_CALLER, caller_name="Carol Danvers"
    )
    first = await book(app, calendar, at(monday, "11:00"), caller_name="Ada Lovelace")
    tuesday = monday + timedelta(days=1)
    second = await book(app, calendar, at(tuesday, "14:00"), caller_name="Ada Lovelace")

    # when
    result = await call_tools(calendar, app.settings, [("calendar_list_my_appointments", {})])

    # then
    [listed] = result.outputs
    assert not listed.is_error
    assert listed.output == (
        "Appointments booked from this number:\n"
        f"- {monday:%A %d %B} at 11:00: Appointment with Ada Lovelace (event id {first['id']})\n"
        f"- {tuesday:%A %d %B} at 14:00: Appointment with Ada Lovelace (event id {second['id']})"
    )
    assert "Bob Smith" not in listed.output
    assert "Carol" not in listed.output
    assert theirs["id"] not in listed.output
    listing = [r for r in app.google.calendar_requests() if r.method == "GET"][-1]
    assert listing.path == "/calendar/v3/calendars/primary/events"


async def test_a_caller_with_no_bookings_hears_so(app, make, monday):
    # given
    calendar = await connected_calendar_tool(app, make)
    await book(app, calendar, at(monday, "10:00"), caller_number=OTHER_CALLER)

    # when
    result = await call_tools(calendar, app.settings, [("calendar_list_my_appointments", {})])

    # then
    [listed] = result.outputs
    assert (listed.is_error, listed.output) == (
        False,
        "There are no upcoming appointments booked from this number.",
    )


async def test_a_booking_is_marked_with_the_callers_hash_and_the_agent(app, make, monday):
    # given
    calendar = await connected_calendar_tool(app, make)

    # when
    first = await book(app, calendar, at(monday, "10:00"))
    again = await book(app, calendar, at(monday, "11:00"))
    other = await book(app, calendar, at(monday, "12:00"), caller_number=OTHER_CALLER)

    # then
    marks = [event["extendedProperties"] for event in (first, again, other)]
    assert all(set(mark) == {"private"} for mark in marks)
    private = [mark["private"] for mark in marks]
    assert all(set(p) == {"voiceagents_caller", "voiceagents_agent"} for p in private)
    assert {p["voiceagents_agent"] for p in private} == {str(calendar.agent.id)}
    callers = [p["voiceagents_caller"] for p in private]
    assert callers[0] == callers[1] != callers[2]
    digits = CALLER_NUMBER.lstrip("+")
    assert all(digits not in caller and len(caller) == 64 for caller in callers)


@pytest.mark.parametrize("owner", ["another caller", "the calendar's owner"])
async def test_a_caller_cannot_move_or_cancel_an_event_they_did_not_book(app, make, monday, owner):
    # given
    calendar = await connected_calendar_tool(app, make)
    if owner == "another caller":
        event = await book(app, calendar, at(monday, "10:00"), caller_number=OTHER_CALLER)
    else:
        event = app.google.add_event(
            start=berlin(monday, "10:00"), end=berlin(monday, "10:30"), summary="Staff meeting"
        )

    # when
    result = await call_tools(
        calendar,
        app.settings,
        [
            (
                "calendar_reschedule_event",
                {"event_id": event["id"], "new_start": at(monday, "15:00")},
            ),
            ("calendar_cancel_event", {"event_id": event["id"]}),
        ],
    )

    # then: told exactly what a missing event is told, and nothing changed
    moved, cancelled = result.outputs
    assert (moved.is_error, moved.output) == (True, NOT_FOUND)
    assert (cancelled.is_error, cancelled.output) == (True, NOT_FOUND)
    assert app.google.event(event["id"]) == event
    assert changes_sent(app) == []


async def test_another_agent_cannot_change_a_booking_even_for_the_same_caller(app, make, monday):
    # given: two agents of one organization on the same Google calendar
    calendar = await connected_calendar_tool(app, make)
    second_agent = await make.agent(calendar.tenant, system_prompt="You book other things.")
    second_tool = await make.agent_tool(second_agent, "google_calendar", config=BERLIN_NINE_TO_FIVE)
    other_desk = CalendarTool(calendar.tenant, second_agent, second_tool)
    assert (await connect(app, other_desk)).status_code == 303
    event = await book(app, calendar, at(monday, "10:00"))

    # when
    result = await call_tools(
        other_desk,
        app.settings,
        [
            ("calendar_list_my_appointments", {}),
            ("calendar_cancel_event", {"event_id": event["id"]}),
        ],
    )

    # then
    listed, cancelled = result.outputs
    assert listed.output == "There are no upcoming appointments booked from this number."
    assert (cancelled.is_error, cancelled.output) == (True, NOT_FOUND)
    assert app.google.event(event["id"]) == event


async def test_a_hidden_number_may_book_but_not_list_move_or_cancel(app, make, monday):
    # given: a booking from a withheld number
    calendar = await connected_calendar_tool(app, make)
    event = await book(app, calendar, at(monday, "10:00"), caller_number=None)

    # when: the same withheld caller, then a caller whose number is shown
    hidden = await call_tools(
        calendar,
        app.settings,
        [
            ("calendar_list_my_appointments", {}),
            ("calendar_cancel_event", {"event_id": event["id"]}),
        ],
        caller_number=None,
    )
    shown = await call_tools(
        calendar, app.settings, [("calendar_cancel_event", {"event_id": event["id"]})]
    )

    # then
    listed, cancelled = hidden.outputs
    assert listed.is_error and "number" in listed.output
    assert cancelled.is_error and "number" in cancelled.output
    assert (shown.outputs[0].is_error, shown.outputs[0].output) == (True, NOT_FOUND)
    assert event["extendedProperties"]["private"] == {"voiceagents_agent": str(calendar.agent.id)}
    assert app.google.event(event["id"]) == event
    assert changes_sent(app) == []


async def test_the_caller_moves_and_cancels_their_own_booking(app, make, monday):
    # given
    calendar = await connected_calendar_tool(app, make)
    event = await book(app, calendar, at(monday, "10:00"))

    # when
    result = await call_tools(
        calendar,
        app.settings,
        [
            (
                "calendar_reschedule_event",
                {"event_id": event["id"], "new_start": at(monday, "15:00")},
            ),
            ("calendar_cancel_event", {"event_id": event["id"]}),
        ],
    )

    # then
    moved, cancelled = result.outputs
    assert moved.output == f"Moved to {monday:%A %d %B} at 15:00 until 15:30."
    assert cancelled.output == "The appointment is cancelled."
    assert app.google.event(event["id"]) is None
