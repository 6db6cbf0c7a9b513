"""API servers the tests talk to, in this process and on the session's database.

- `running_app`: another API replica on its own port (WebSocket tests, several replicas,
  a server with other settings or its own bus).
- `asgi_client`: the app called in-process through httpx's ASGI transport (webhook and
  OAuth tests that need settings pointing at a fake).

Both leave the lifespan off: the session's server opened the ORM for the whole process,
and a second RegisterTortoise would close its connections on exit. They run no background
loops (mail sender, call janitor): tests call those functions themselves.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx

from core.events import EventBus, build_bus
from core.integrations.livekit_rooms import LiveKitRooms
from core.settings import Settings
from graphql_api.app import create_app
from tests.support.background_server import BackgroundServer
from tests.support.graphql import GraphQLClient

APP_BASE_URL = "http://testserver.local"


@dataclass
class RunningServer:
    """The session's server (tests/conftest.py `server`)."""

    base_url: str
    ws_url: str
    settings: Settings
    bus: EventBus


@dataclass
class AppServer:
    base_url: str
    ws_url: str
    settings: Settings
    bus: EventBus


@contextlib.asynccontextmanager
async def running_app(
    settings: Settings, *, bus: EventBus | None = None, **app_kwargs: Any
) -> AsyncIterator[AppServer]:
    """A real uvicorn server on a free port; its bus is `bus` or a new one (closed after)."""
    own_bus = bus is None
    bus = bus or build_bus(settings)
    app_kwargs.setdefault("run_background_tasks", False)
    background = BackgroundServer(create_app(settings, bus=bus, **app_kwargs))
    await background.start()
    try:
        yield AppServer(background.url, background.ws_url, settings, bus)
    finally:
        await background.stop()
        if own_bus:
            await bus.close()


@dataclass
class InProcessApp:
    settings: Settings
    http: httpx.AsyncClient
    gql: GraphQLClient
    bus: EventBus


@contextlib.asynccontextmanager
async def asgi_client(
    settings: Settings,
    *,
    base_url: str = APP_BASE_URL,
    bus: EventBus | None = None,
    **app_kwargs: Any,
) -> AsyncIterator[InProcessApp]:
    """The app called in-process. What it would close in its lifespan (its bus and its
    LiveKit client) is made here and closed on exit."""
    own_bus = bus is None
    bus = bus or build_bus(settings)
    rooms = app_kwargs.pop("rooms", None)
    own_rooms = rooms is None
    rooms = rooms or LiveKitRooms(settings)
    app_kwargs.setdefault("run_background_tasks", False)
    app = create_app(settings, bus=bus, rooms=rooms, **app_kwargs)
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url=base_url, timeout=30
        ) as http:
            yield InProcessApp(settings, http, GraphQLClient(http), bus)
    finally:
        if own_rooms:
            await rooms.aclose()
        if own_bus:
            await bus.close()
