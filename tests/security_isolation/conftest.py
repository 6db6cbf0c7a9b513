"""The isolation world: built once per module on an API server whose event bus we hold."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest_asyncio

from core.events import InProcessBus
from tests.conftest import GraphQLClient, RunningServer
from tests.security_isolation.world import World, build_world
from tests.support.servers import running_app


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def world(server: RunningServer) -> AsyncIterator[World]:
    # Our own app on the session's database, with a bus we can publish on: the
    # organization stream only delivers what happens after it starts.
    bus = InProcessBus()
    async with (
        running_app(server.settings, bus=bus) as app,
        httpx.AsyncClient(base_url=app.base_url, timeout=20) as http,
    ):
        built = await build_world(GraphQLClient(http), server.settings, bus)
        built.ws_url = app.ws_url
        yield built
    await bus.close()
