"""The isolation world: built once per module on an API server whose event bus we hold."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest_asyncio

from core.events import InProcessBus
from tests.security_isolation.world import World, build_world
from tests.support.factories import Factories
from tests.support.graphql import GraphQLClient
from tests.support.servers import RunningServer, running_app


@pytest_asyncio.fixture(scope="module")
async def world(server: RunningServer, make: Factories) -> AsyncIterator[World]:
    # Our own replica on the session's database, with an in-process bus we publish on: the
    # organization stream only delivers what happens after it listens, and on this bus
    # "it listens" (`subscribed`) means exactly that.
    bus = InProcessBus()
    async with (
        running_app(server.settings, bus=bus) as app,
        httpx.AsyncClient(base_url=app.base_url, timeout=30) as http,
    ):
        yield await build_world(make, GraphQLClient(http), bus, app.ws_url)
    await bus.close()
