"""Google Calendar: check availability, book, and let a caller list, move and cancel the
appointments this agent booked for them.

A caller learns when the calendar is free (free/busy), never what is in it. Every booking
carries private extended properties (Google's `extendedProperties.private`, invisible to
attendees): a hash of the caller's number, scoped to the organization, and the agent's id.
A caller lists their bookings by those properties, and a move or cancel first checks them:
any other event is answered "not found", like one that does not exist.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from datetime import time as clock
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from livekit.agents import RunContext, ToolError, function_tool

from core.integrations import google_oauth
from core.integrations.google_calendar import (
    CalendarAccessDenied,
    CalendarError,
    CalendarUnavailable,
    GoogleCalendarClient,
)
from worker.tools.base import AuthType, BaseTool
from worker.tools.runtime import CallSession, ToolRuntime

_HHMM = "^([01][0-9]|2[0-3]):[0-5][0-9]$"
# What a calendar operation answers.
_T = TypeVar("_T")
MAX_SLOTS_SPOKEN = 8
# The private extended properties a booking carries (keys of at most 44 characters).
CALLER_PROPERTY = "voiceagents_caller"
AGENT_PROPERTY = "voiceagents_agent"
# How far ahead, and how many, of a caller's own bookings are listed.
OWN_BOOKINGS_HORIZON = timedelta(days=366)
MAX_OWN_BOOKINGS_LISTED = 10
_NOT_FOUND = "That was not found in the calendar."
_NUMBER_HIDDEN = (
    "Your number is hidden, so I cannot look up or change appointments for it. Please call "
    "again from the number you booked with."
)


class GoogleCalendarTool(BaseTool):
    name = "google_calendar"
    display_name = "Google Calendar"
    description = (
        "Books, moves and cancels appointments in a Google Calendar, within business hours "
        "and the calendar's time zone."
    )
    auth_type = AuthType.OAUTH2
    auth_config = {"provider": "google", "scopes": list(google_oauth.CALENDAR_SCOPES)}
    config_schema = {
        "type": "object",
        "properties": {
            "calendar_id": {"type": "string", "minLength": 1, "default": "primary"},
            "time_zone": {"type": "string", "format": "time-zone", "default": "UTC"},
            "default_duration_minutes": {
                "type": "integer",
                "minimum": 5,
                "maximum": 480,
                "default": 30,
            },
            "business_hours": {
                "type": "object",
                "properties": {
                    "start": {"type": "string", "pattern": _HHMM},
                    "end": {"type": "string", "pattern": _HHMM},
                    "days": {
                        "type": "array",
                        "minItems": 1,
                        "uniqueItems": True,
                        "items": {"type": "integer", "minimum": 1, "maximum": 7},
                        "description": "ISO weekdays: 1 is Monday, 7 is Sunday.",
                    },
                },
                "required": ["start", "end", "days"],
                "additionalProperties": False,
                "default": {"start": "09:00", "end": "17:00", "days": [1, 2, 3, 4, 5]},
            },
        },
        "additionalProperties": False,
    }
    # The OAuth tokens: written by the OAuth callback, never by a person.
    secret_config_schema = {
        "type": "object",
        "properties": {
            "access_token": {"type": "string"},
            "refresh_token": {"type": "string"},
            "expires_at": {"type": "integer"},
        },
    }

    @function_tool
    async def calendar_check_availability(
        self, ctx: RunContext[CallSession], day: str, duration_minutes: int | None = None
    ) -> str:
        """Find free appointment times on one day, within business hours.

        Args:
            day: The day to check, as YYYY-MM-DD.
            duration_minutes: How long the appointment is; the calendar's default if omitted.
        """
        setup = _Setup(self.runtime(ctx))
        wanted_day = _parse_day(day)
        duration = timedelta(minutes=duration_minutes or setup.default_duration)
        window = setup.business_window(wanted_day)
        if window is None:
            raise ToolError(f"We are closed on {_say_day(wanted_day)}. Offer another day.")
        busy = await setup.call(
            lambda c: c.busy_intervals(
                calendar_id=setup.calendar_id,
                start=window[0],
                end=window[1],
                time_zone=setup.time_zone_name,
            )
        )
        slots = free_slots(window, busy, duration, now=datetime.now(setup.zone))
        if not slots:
            raise ToolError(f"There is no free slot on {_say_day(wanted_day)}. Offer another day.")
        spoken = ", ".join(slot.strftime("%H:%M") for slot in slots[:MAX_SLOTS_SPOKEN])
        return f"Free times on {_say_day(wanted_day)} ({setup.time_zone_name}): {spoken}."

    @function_tool
    async def calendar_list_my_appointments(self, ctx: RunContext[CallSession]) -> str:
        """List the caller's own upcoming appointments (booked from the number they are
        calling from), with their ids. Other people's appointments are never listed."""
        setup = _Setup(self.runtime(ctx))
        mark = _caller_mark(ctx.userdata)
        if mark is None:
            raise ToolError(_NUMBER_HIDDEN)
        now = datetime.now(setup.zone)
        events = await setup.call(
            lambda c: c.list_events(
                calendar_id=setup.calendar_id,
                start=now,
                end=now + OWN_BOOKINGS_HORIZON,
                time_zone=setup.time_zone_name,
                max_results=MAX_OWN_BOOKINGS_LISTED,
                private_properties=mark,
            )
        )
        # Google applied the filter; checking again costs nothing and keeps it true here.
        own = [event for event in events if _booked_for(event, mark)]
        if not own:
            return "There are no upcoming appointments booked from this number."
        lines = [_describe_event(event, setup.zone) for event in own]
        return "Appointments booked from this number:\n" + "\n".join(lines)

    @function_tool
    async def calendar_create_event(
        self,
        ctx: RunContext[CallSession],
        start: str,
        caller_name: str,
        title: str | None = None,
        duration_minutes: int | None = None,
        notes: str | None = None,
    ) -> str:
        """Book an appointment for the caller, if the time is free.

        Args:
            start: The local start time, as YYYY-MM-DDTHH:MM.
            caller_name: The caller's full name, as they said it.
            title: A short title; "Appointment with <caller_name>" if omitted.
            duration_minutes: How long it is; the calendar's default if omitted.
            notes: Anything the caller asked to note.
        """
        setup = _Setup(self.runtime(ctx))
        begins = _parse_local(start, setup.zone)
        ends = begins + timedelta(minutes=duration_minutes or setup.default_duration)
        await setup.ensure_bookable(begins, ends)
        phone = ctx.userdata.caller_number or "unknown"
        description = f"Caller: {caller_name}\nPhone: {phone}"
        if notes:
            description += f"\nNotes: {notes}"
        # A hidden number gets no caller mark: nobody can later claim the booking as theirs.
        mark = _caller_mark(ctx.userdata) or {AGENT_PROPERTY: str(ctx.userdata.agent_id)}
        event = await setup.call(
            lambda c: c.insert_event(
                calendar_id=setup.calendar_id,
                event={
                    "summary": title or f"Appointment with {caller_name}",
                    "description": description,
                    "start": {"dateTime": begins.isoformat(), "timeZone": setup.time_zone_name},
                    "end": {"dateTime": ends.isoformat(), "timeZone": setup.time_zone_name},
                    "extendedProperties": {"private": mark},
                },
            )
        )
        return (
            f"Booked {_say_moment(begins)} until {ends.strftime('%H:%M')} "
            f"(event id {event.get('id')})."
        )

    @function_tool
    async def calendar_reschedule_event(
        self,
        ctx: RunContext[CallSession],
        event_id: str,
        new_start: str,
        duration_minutes: int | None = None,
    ) -> str:
        """Move one of the caller's own appointments to a new time, if that time is free.

        Args:
            event_id: The appointment's id, from calendar_list_my_appointments or a booking.
            new_start: The new local start time, as YYYY-MM-DDTHH:MM.
            duration_minutes: The new length; the appointment keeps its length if omitted.
        """
        setup = _Setup(self.runtime(ctx))
        event = await setup.own_event(event_id, ctx.userdata)
        begins = _parse_local(new_start, setup.zone)
        length = timedelta(minutes=duration_minutes) if duration_minutes else _length(event)
        ends = begins + (length or timedelta(minutes=setup.default_duration))
        await setup.ensure_bookable(begins, ends, ignoring=event)
        await setup.call(
            lambda c: c.patch_event(
                calendar_id=setup.calendar_id,
                event_id=event_id,
                changes={
                    "start": {"dateTime": begins.isoformat(), "timeZone": setup.time_zone_name},
                    "end": {"dateTime": ends.isoformat(), "timeZone": setup.time_zone_name},
                },
            )
        )
        return f"Moved to {_say_moment(begins)} until {ends.strftime('%H:%M')}."

    @function_tool
    async def calendar_cancel_event(self, ctx: RunContext[CallSession], event_id: str) -> str:
        """Cancel one of the caller's own appointments.

        Args:
            event_id: The appointment's id, from calendar_list_my_appointments or a booking.
        """
        setup = _Setup(self.runtime(ctx))
        await setup.own_event(event_id, ctx.userdata)
        await setup.call(lambda c: c.delete_event(calendar_id=setup.calendar_id, event_id=event_id))
        return "The appointment is cancelled."


class _Setup:
    """The tool's config on this call, and a calendar client with fresh tokens."""

    def __init__(self, runtime: ToolRuntime) -> None:
        self.runtime = runtime
        config = runtime.config
        self.calendar_id: str = config.get("calendar_id", "primary")
        self.time_zone_name: str = config.get("time_zone", "UTC")
        self.zone = ZoneInfo(self.time_zone_name)
        self.default_duration: int = config.get("default_duration_minutes", 30)
        hours = config.get("business_hours") or {
            "start": "09:00",
            "end": "17:00",
            "days": [1, 2, 3, 4, 5],
        }
        self.opens = clock.fromisoformat(hours["start"])
        self.closes = clock.fromisoformat(hours["end"])
        self.days = set(hours["days"])
        if not runtime.secrets.get("refresh_token") and not runtime.secrets.get("access_token"):
            raise ToolError("The calendar is not connected yet, so I cannot check it now.")
        self.client = GoogleCalendarClient(
            http=runtime.http,
            base_url=runtime.settings.google_calendar_api_url,
            access_token=self._access_token,
        )

    def business_window(self, day: date) -> tuple[datetime, datetime] | None:
        if day.isoweekday() not in self.days:
            return None
        return datetime.combine(day, self.opens, self.zone), datetime.combine(
            day, self.closes, self.zone
        )

    async def ensure_bookable(
        self, begins: datetime, ends: datetime, ignoring: dict[str, Any] | None = None
    ) -> None:
        window = self.business_window(begins.date())
        if window is None or begins < window[0] or ends > window[1]:
            raise ToolError(
                f"That is outside business hours ({self.opens:%H:%M} to {self.closes:%H:%M})."
            )
        if begins < datetime.now(self.zone):
            raise ToolError("That time has already passed.")
        if ignoring is None:
            busy = await self.call(
                lambda c: c.busy_intervals(
                    calendar_id=self.calendar_id,
                    start=begins,
                    end=ends,
                    time_zone=self.time_zone_name,
                )
            )
        else:
            # Free/busy clips and merges intervals, so the event being moved cannot be told
            # apart there (it is, for one, merged with a neighbour); its own events can.
            events = await self.call(
                lambda c: c.list_events(
                    calendar_id=self.calendar_id,
                    start=begins,
                    end=ends,
                    time_zone=self.time_zone_name,
                )
            )
            busy = [
                interval
                for event in events
                if event.get("id") != ignoring.get("id")
                and event.get("transparency") != "transparent"
                and (interval := _interval(event)) is not None
            ]
        if any(interval[0] < ends and interval[1] > begins for interval in busy):
            raise ToolError("That time is already taken. Offer another time.")

    async def own_event(self, event_id: str, session: CallSession) -> dict[str, Any]:
        """The event, if this agent booked it for this caller; "not found" otherwise."""
        mark = _caller_mark(session)
        if mark is None:
            raise ToolError(_NUMBER_HIDDEN)
        event = await self.call(
            lambda c: c.get_event(calendar_id=self.calendar_id, event_id=event_id)
        )
        if not _booked_for(event, mark):
            raise ToolError(_NOT_FOUND)
        return event

    async def call(self, operation: Callable[[GoogleCalendarClient], Awaitable[_T]]) -> _T:
        try:
            return await operation(self.client)
        except CalendarAccessDenied as error:
            await self.runtime.mark_needs_reconnect(str(error))
            raise ToolError(
                "I cannot reach the calendar right now; the team will call you back to book."
            ) from None
        except CalendarError as error:
            raise ToolError(str(error)) from None

    async def _access_token(self, force: bool) -> str:
        secrets = self.runtime.secrets
        expires_at = int(secrets.get("expires_at") or 0)
        if secrets.get("access_token") and not force and expires_at - 60 > time.time():
            return str(secrets["access_token"])
        if not secrets.get("refresh_token"):
            raise CalendarAccessDenied("The calendar connection has expired.")
        try:
            fresh = await google_oauth.refresh(
                settings=self.runtime.settings, refresh_token=secrets["refresh_token"]
            )
        except google_oauth.GrantRevoked:
            raise CalendarAccessDenied("Access to the calendar was withdrawn.") from None
        except google_oauth.GoogleUnavailable:
            raise CalendarUnavailable("The calendar could not be reached.") from None
        merged = {**secrets, **fresh}
        await self.runtime.save_secrets(merged)
        self.runtime.secrets = merged
        return str(merged["access_token"])


def free_slots(
    window: tuple[datetime, datetime],
    busy: list[tuple[datetime, datetime]],
    duration: timedelta,
    *,
    now: datetime,
    step: timedelta = timedelta(minutes=30),
) -> list[datetime]:
    """Start times on a `step` grid inside the window where `duration` fits between busy times."""
    slots = []
    cursor = window[0]
    while cursor + duration <= window[1]:
        end = cursor + duration
        if cursor >= now and not any(b[0] < end and b[1] > cursor for b in busy):
            slots.append(cursor)
        cursor += step
    return slots


def _caller_mark(session: CallSession) -> dict[str, str] | None:
    """The private properties of this caller's bookings with this agent; None when the
    number is hidden. The number is hashed with the organization, so the calendar holds no
    number in them and the same caller is unrelated across organizations."""
    if not session.caller_number:
        return None
    scoped = f"{session.organization_id}:{session.caller_number}".encode()
    return {
        CALLER_PROPERTY: hashlib.sha256(scoped).hexdigest(),
        AGENT_PROPERTY: str(session.agent_id),
    }


def _booked_for(event: dict[str, Any], mark: dict[str, str]) -> bool:
    private = (event.get("extendedProperties") or {}).get("private") or {}
    return all(private.get(name) == value for name, value in mark.items())


def _parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ToolError("Give the day as YYYY-MM-DD.") from None


def _parse_local(value: str, zone: ZoneInfo) -> datetime:
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ToolError("Give the time as YYYY-MM-DDTHH:MM.") from None
    return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)


def _interval(event: dict[str, Any]) -> tuple[datetime, datetime] | None:
    try:
        return (
            datetime.fromisoformat(event["start"]["dateTime"]),
            datetime.fromisoformat(event["end"]["dateTime"]),
        )
    except (KeyError, TypeError, ValueError):
        return None


def _length(event: dict[str, Any]) -> timedelta | None:
    interval = _interval(event)
    return interval[1] - interval[0] if interval else None


def _describe_event(event: dict[str, Any], zone: ZoneInfo) -> str:
    interval = _interval(event)
    when = _say_moment(interval[0].astimezone(zone)) if interval else "all day"
    return f"- {when}: {event.get('summary', 'Busy')} (event id {event.get('id')})"


def _say_day(day: date) -> str:
    return day.strftime("%A %d %B %Y")


def _say_moment(moment: datetime) -> str:
    return moment.strftime("%A %d %B at %H:%M")
