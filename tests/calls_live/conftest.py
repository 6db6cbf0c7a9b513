"""Fixtures: the two buses, and an API server of our own running on one of them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
import pytest_asyncio

from core.settings import Settings
from tests.calls_live.helpers import BUS_KINDS, Buses, make_buses, running_server
from tests.conftest import RunningServer


@pytest_asyncio.fixture(params=BUS_KINDS)
async def buses(request: pytest.FixtureRequest) -> AsyncIterator[Buses]:
    pair = make_buses(request.param)
    try:
        yield pair
    finally:
        await pair.close()


@dataclass
class LiveServer:
    ws_url: str
    settings: Settings
    buses: Buses


@pytest_asyncio.fixture
async def live(server: RunningServer, buses: Buses) -> AsyncIterator[LiveServer]:
    """An API process whose subscriptions listen on `buses.server`."""
    settings = server.settings.model_copy(update={"max_subscriptions_per_connection": 10})
    async with running_server(settings, buses.server) as ws_url:
        yield LiveServer(ws_url, settings, buses)
