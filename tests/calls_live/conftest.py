"""`live`: an API server of our own whose subscriptions listen on the `buses` under test
(in-process, and Redis when TEST_REDIS_URL is set)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest_asyncio

from tests.support.backends import Buses
from tests.support.servers import RunningServer, running_app


@dataclass
class LiveServer:
    ws_url: str
    buses: Buses


@pytest_asyncio.fixture
async def live(server: RunningServer, buses: Buses) -> AsyncIterator[LiveServer]:
    """An API replica whose subscriptions listen on `buses.server`; writers publish on
    `buses.writer`."""
    async with running_app(server.settings, bus=buses.server) as app:
        yield LiveServer(app.ws_url, buses)
