"""Google Calendar API v3 over httpx: free/busy, list, insert, patch, delete.

Errors are mapped to a few exceptions whose messages a caller can hear;
nothing about tokens ever appears in them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any
from urllib.parse import quote

import httpx

# Returns a valid access token; `force=True` after a 401 refreshes even an unexpired one.
AccessTokenSource = Callable[[bool], Awaitable[str]]


class CalendarError(Exception):
    """Base class; the message is safe to say to a caller."""


class CalendarNotFound(CalendarError):
    pass


class CalendarRateLimited(CalendarError):
    pass


class CalendarUnavailable(CalendarError):
    pass


class CalendarAccessDenied(CalendarError):
    """The grant was revoked or lacks permission: the owner must reconnect."""


class GoogleCalendarClient:
    def __init__(
        self,
        *,
        http: httpx.AsyncClient,
        base_url: str,
        access_token: AccessTokenSource,
        timeout: float = 8.0,
    ) -> None:
        self.http = http
        self.base_url = base_url.rstrip("/")
        self.access_token = access_token
        self.timeout = timeout

    async def busy_intervals(
        self, *, calendar_id: str, start: datetime, end: datetime, time_zone: str
    ) -> list[tuple[datetime, datetime]]:
        body = {
            "timeMin": start.isoformat(),
            "timeMax": end.isoformat(),
            "timeZone": time_zone,
            "items": [{"id": calendar_id}],
        }
        data = await self._request("POST", "/freeBusy", json=body)
        calendar = (data.get("calendars") or {}).get(calendar_id) or {}
        if calendar.get("errors"):
            reason = calendar["errors"][0].get("reason", "")
            if reason == "notFound":
                raise CalendarNotFound("The calendar could not be found.")
            raise CalendarUnavailable("The calendar did not answer.")
        return [
            (datetime.fromisoformat(item["start"]), datetime.fromisoformat(item["end"]))
            for item in calendar.get("busy", [])
        ]

    async def list_events(
        self,
        *,
        calendar_id: str,
        start: datetime,
        end: datetime,
        time_zone: str,
        max_results: int = 25,
        private_properties: dict[str, str] | None = None,
    ) -> list[dict[str, Any]]:
        """Events overlapping the window; with `private_properties`, only those whose private
        extended properties hold every one of these values."""
        params: dict[str, Any] = {
            "timeMin": start.isoformat(),
            "timeMax": end.isoformat(),
            "timeZone": time_zone,
            "singleEvents": "true",
            "orderBy": "startTime",
            "maxResults": str(max_results),
        }
        if private_properties:
            params["privateExtendedProperty"] = [
                f"{name}={value}" for name, value in private_properties.items()
            ]
        data = await self._request("GET", f"/calendars/{_id(calendar_id)}/events", params=params)
        return [item for item in data.get("items", []) if item.get("status") != "cancelled"]

    async def get_event(self, *, calendar_id: str, event_id: str) -> dict[str, Any]:
        return await self._request("GET", f"/calendars/{_id(calendar_id)}/events/{_id(event_id)}")

    async def insert_event(self, *, calendar_id: str, event: dict[str, Any]) -> dict[str, Any]:
        return await self._request("POST", f"/calendars/{_id(calendar_id)}/events", json=event)

    async def patch_event(
        self, *, calendar_id: str, event_id: str, changes: dict[str, Any]
    ) -> dict[str, Any]:
        return await self._request(
            "PATCH", f"/calendars/{_id(calendar_id)}/events/{_id(event_id)}", json=changes
        )

    async def delete_event(self, *, calendar_id: str, event_id: str) -> None:
        await self._request("DELETE", f"/calendars/{_id(calendar_id)}/events/{_id(event_id)}")

    async def _request(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        """One call with at most one retry: after a 401 (refreshed token), a 429 or a 5xx."""
        force_refresh = False
        for attempt in (1, 2):
            token = await self.access_token(force_refresh)
            try:
                response = await self.http.request(
                    method,
                    f"{self.base_url}{path}",
                    timeout=self.timeout,
                    headers={"Authorization": f"Bearer {token}"},
                    **kwargs,
                )
            except httpx.HTTPError:
                if attempt == 1:
                    continue
                raise CalendarUnavailable("The calendar could not be reached.") from None
            status = response.status_code
            if status < 300:
                return response.json() if response.content else {}
            if status == 401 and attempt == 1:
                force_refresh = True
                continue
            if status == 401:
                raise CalendarAccessDenied("Access to the calendar was withdrawn.")
            if status == 403:
                if _reason(response) in ("rateLimitExceeded", "userRateLimitExceeded"):
                    raise CalendarRateLimited("The calendar is busy right now.")
                raise CalendarAccessDenied("The calendar does not allow this.")
            if status in (404, 410):
                raise CalendarNotFound("That was not found in the calendar.")
            if status == 429 or status >= 500:
                if attempt == 1:
                    await asyncio.sleep(_retry_after(response))
                    continue
                if status == 429:
                    raise CalendarRateLimited("The calendar is busy right now.")
                raise CalendarUnavailable("The calendar is not answering right now.")
            raise CalendarUnavailable(f"The calendar refused the request ({status}).")
        raise CalendarUnavailable("The calendar is not answering right now.")


def _id(value: str) -> str:
    return quote(value, safe="")


def _reason(response: httpx.Response) -> str:
    try:
        errors = response.json()["error"]["errors"]
        return str(errors[0].get("reason", ""))
    except (ValueError, KeyError, IndexError, TypeError):
        return ""


def _retry_after(response: httpx.Response) -> float:
    try:
        return min(2.0, max(0.0, float(response.headers.get("retry-after", "0.2"))))
    except ValueError:
        return 0.2
