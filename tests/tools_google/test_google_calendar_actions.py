"""The Google Calendar tool on a call: availability, booking, moving and cancelling.

The agent's tools are loaded like the worker does (worker.tools.loader) after connecting
through the fake Google, and a scripted model calls them in an AgentSession. Events to move
or cancel are booked through the tool first: a caller may change only its own bookings
(test_google_calendar_privacy.py).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.support.factories import CALLER_NUMBER
from tests.tools_google.helpers import (
    berlin,
    book,
    call_tool,
    call_tools,
    connected_calendar_tool,
    next_monday,
)


def say_day(day) -> str:
    return day.strftime("%A %d %B %Y")


def at(day, hhmm: str) -> str:
    return f"{day.isoformat()}T{hhmm}"


@pytest.fixture
def monday():
    return next_monday()


async def test_availability_lists_free_slots_inside_business_hours_around_busy_events(
    app, make, monday
):
    # given
    calendar = await connected_calendar_tool(app, make)
    app.google.add_event(start=berlin(monday, "09:00"), end=berlin(monday, "10:00"))
    app.google.add_event(start=berlin(monday, "11:00"), end=berlin(monday, "12:00"))
    # an event on the next day does not matter
    tuesday = monday + timedelta(days=1)
    app.google.add_event(start=berlin(tuesday, "10:00"), end=berlin(tuesday, "17:00"))

    # when
    result = await call_tool(
        calendar, app.settings, "calendar_check_availability", day=monday.isoformat()
    )

    # then
    assert not result.is_error
    assert result.output == (
        f"Free times on {say_day(monday)} (Europe/Berlin): "
        "10:00, 10:30, 12:00, 12:30, 13:00, 13:30, 14:00, 14:30."
    )
    [free_busy] = app.google.calendar_requests()
    assert free_busy.path == "/calendar/v3/freeBusy"
    assert free_busy.body["items"] == [{"id": "primary"}]
    assert free_busy.body["timeZone"] == "Europe/Berlin"
    assert free_busy.body["timeMin"] == berlin(monday, "09:00").isoformat()
    assert free_busy.body["timeMax"] == berlin(monday, "17:00").isoformat()


async def test_availability_for_a_longer_appointment_needs_room_for_all_of_it(app, make, monday):
    # given: only 15:00-17:00 is free
    calendar = await connected_calendar_tool(app, make)
    app.google.add_event(start=berlin(monday, "09:00"), end=berlin(monday, "15:00"))

    # when
    result = await call_tool(
        calendar,
        app.settings,
        "calendar_check_availability",
        day=monday.isoformat(),
        duration_minutes=90,
    )

    # then
    assert not result.is_error
    assert result.output.endswith("(Europe/Berlin): 15:00, 15:30.")


async def test_availability_on_a_closed_day_says_closed_without_asking_google(app, make, monday):
    # given
    calendar = await connected_calendar_tool(app, make)
    saturday = monday + timedelta(days=5)

    # when
    result = await call_tool(
        calendar, app.settings, "calendar_check_availability", day=saturday.isoformat()
    )

    # then
    assert result.is_error
    assert result.output == f"We are closed on {say_day(saturday)}. Offer another day."
    assert app.google.calendar_requests() == []


async def test_availability_on_a_fully_booked_day_says_no_free_slot(app, make, monday):
    # given
    calendar = await connected_calendar_tool(app, make)
    app.google.add_event(start=berlin(monday, "08:00"), end=berlin(monday, "12:00"))
    app.google.add_event(start=berlin(monday, "12:00"), end=berlin(monday, "18:00"))

    # when
    result = await call_tool(
        calendar, app.settings, "calendar_check_availability", day=monday.isoformat()
    )

    # then
    assert result.is_error
    assert result.output == f"There is no free slot on {say_day(monday)}. Offer another day."


async def test_create_event_books_with_the_callers_name_and_phone(app, make, monday):
    # given
    calendar = await connected_calendar_tool(app, make)

    # when
    result = await call_tool(
        calendar,
        app.settings,
        "calendar_create_event",
        start=at(monday, "10:00"),
        caller_name="Ada Lovelace",
        notes="First visit",
    )

    # then
    [event] = app.google.events()
    assert not result.is_error
    assert result.output == (
        f"Booked {monday:%A %d %B} at 10:00 until 10:30 (event id {event['id']})."
    )
    assert event["summary"] == "Appointment with Ada Lovelace"
    assert "Ada Lovelace" in event["description"]
    assert CALLER_NUMBER in event["description"]
    assert "First visit" in event["description"]
    assert event["start"] == {
        "dateTime": berlin(monday, "10:00").isoformat(),
        "timeZone": "Europe/Berlin",
    }
    assert event["end"] == {
        "dateTime": berlin(monday, "10:30").isoformat(),
        "timeZone": "Europe/Berlin",
    }
    insert = next(
        r
        for r in app.google.calendar_requests()
        if r.method == "POST" and r.path.endswith("/events")
    )
    assert insert.body["description"] == (
        f"Caller: Ada Lovelace\nPhone: {CALLER_NUMBER}\nNotes: First visit"
    )


async def test_create_event_in_a_busy_slot_is_refused(app, make, monday):
    # given
    calendar = await connected_calendar_tool(app, make)
    app.google.add_event(start=berlin(monday, "10:15"), end=berlin(monday, "11:00"))

    # when
    result = await call_tool(
        calendar,
        app.settings,
        "calendar_create_event",
        start=at(monday, "10:00"),
        caller_name="Ada Lovelace",
    )

    # then
    assert result.is_error
    assert result.output == "That time is already taken. Offer another time."
    assert len(app.google.events()) == 1
    assert not [
        r
        for r in app.google.calendar_requests()
        if r.method == "POST" and r.path.endswith("/events")
    ]


@pytest.mark.parametrize(
    ("day_offset", "start", "duration"),
    [(0, "08:30", 30), (0, "16:45", 30), (5, "10:00", 30)],
    ids=["before-opening", "past-closing", "saturday"],
)
async def test_create_event_outside_business_hours_is_refused(
    app, make, monday, day_offset, start, duration
):
    # given
    calendar = await connected_calendar_tool(app, make)

    # when
    result = await call_tool(
        calendar,
        app.settings,
        "calendar_create_event",
        start=at(monday + timedelta(days=day_offset), start),
        caller_name="Ada Lovelace",
        duration_minutes=duration,
    )

    # then
    assert result.is_error
    assert result.output == "That is outside business hours (09:00 to 17:00)."
    assert app.google.events() == []
    assert app.google.calendar_requests() == []


async def test_reschedule_moves_the_event_and_keeps_its_length(app, make, monday):
    # given
    calendar = await connected_calendar_tool(app, make)
    event = await book(app, calendar, at(monday, "10:00"), duration_minutes=60, title="Check-up")

    # when
    result = await call_tool(
        calendar,
        app.settings,
        "calendar_reschedule_event",
        event_id=event["id"],
        new_start=at(monday, "14:00"),
    )

    # then
    assert not result.is_error
    assert result.output == f"Moved to {monday:%A %d %B} at 14:00 until 15:00."
    moved = app.google.event(event["id"])
    assert moved["start"]["dateTime"] == berlin(monday, "14:00").isoformat()
    assert moved["end"]["dateTime"] == berlin(monday, "15:00").isoformat()
    assert moved["summary"] == "Check-up"
    patch = next(r for r in app.google.calendar_requests() if r.method == "PATCH")
    assert set(patch.body) == {"start", "end"}


async def test_reschedule_to_a_time_overlapping_its_own_slot_is_allowed(app, make, monday):
    # given: pushing a 10:00-11:00 appointment back by half an hour
    calendar = await connected_calendar_tool(app, make)
    event = await book(app, calendar, at(monday, "10:00"), duration_minutes=60)
    app.google.add_event(start=berlin(monday, "09:00"), end=berlin(monday, "10:00"))

    # when
    result = await call_tool(
        calendar,
        app.settings,
        "calendar_reschedule_event",
        event_id=event["id"],
        new_start=at(monday, "10:30"),
    )

    # then
    assert not result.is_error, result.output
    assert app.google.event(event["id"])["start"]["dateTime"] == (
        berlin(monday, "10:30").isoformat()
    )


async def test_reschedule_to_a_busy_time_is_refused(app, make, monday):
    # given
    calendar = await connected_calendar_tool(app, make)
    event = await book(app, calendar, at(monday, "10:00"))
    app.google.add_event(start=berlin(monday, "15:00"), end=berlin(monday, "16:00"))

    # when
    result = await call_tool(
        calendar,
        app.settings,
        "calendar_reschedule_event",
        event_id=event["id"],
        new_start=at(monday, "15:30"),
    )

    # then
    assert result.is_error
    assert result.output == "That time is already taken. Offer another time."
    assert app.google.event(event["id"])["start"]["dateTime"] == (
        berlin(monday, "10:00").isoformat()
    )
    assert not [r for r in app.google.calendar_requests() if r.method == "PATCH"]


async def test_reschedule_of_a_missing_event_says_not_found(app, make, monday):
    # given
    calendar = await connected_calendar_tool(app, make)

    # when
    result = await call_tool(
        calendar,
        app.settings,
        "calendar_reschedule_event",
        event_id="doesnotexist123",
        new_start=at(monday, "10:00"),
    )

    # then
    assert result.is_error
    assert result.output == "That was not found in the calendar."


async def test_cancel_deletes_the_event_and_a_second_cancel_says_not_found(app, make, monday):
    # given
    calendar = await connected_calendar_tool(app, make)
    event = await book(app, calendar, at(monday, "10:00"))

    # when
    result = await call_tools(
        calendar,
        app.settings,
        [
            ("calendar_cancel_event", {"event_id": event["id"]}),
            ("calendar_cancel_event", {"event_id": event["id"]}),
            ("calendar_cancel_event", {"event_id": "neverexisted"}),
        ],
    )

    # then
    cancelled, again, missing = result.outputs
    assert not cancelled.is_error
    assert cancelled.output == "The appointment is cancelled."
    assert app.google.events() == []
    assert again.is_error
    assert again.output == "That was not found in the calendar."
    assert missing.is_error
    assert missing.output == "That was not found in the calendar."


async def test_book_move_and_cancel_in_one_call(app, make, monday):
    # given
    calendar = await connected_calendar_tool(app, make)

    # when: the model books, then moves, then cancels, in one call
    booked = await call_tools(
        calendar,
        app.settings,
        [
            (
                "calendar_create_event",
                {"start": at(monday, "09:00"), "caller_name": "Grace Hopper"},
            ),
        ],
    )
    [event] = app.google.events()
    later = await call_tools(
        calendar,
        app.settings,
        [
            (
                "calendar_reschedule_event",
                {"event_id": event["id"], "new_start": at(monday, "16:00")},
            ),
            ("calendar_list_my_appointments", {}),
            ("calendar_cancel_event", {"event_id": event["id"]}),
        ],
    )

    # then
    assert not booked.outputs[0].is_error
    moved, listed, cancelled = later.outputs
    assert moved.output == f"Moved to {monday:%A %d %B} at 16:00 until 16:30."
    assert f"{monday:%A %d %B} at 16:00: Appointment with Grace Hopper" in listed.output
    assert cancelled.output == "The appointment is cancelled."
    assert app.google.events() == []
