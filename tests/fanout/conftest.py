"""`replicas`: API replicas on the `buses` under test. `shared` computes each subscription's
results once per distinct selection and scope (the default); `solo` executes every
subscriber's selection for it alone (SUBSCRIPTION_SHARED_RESULTS=false: the per-subscriber
path every subscriber took before results were shared). What a subscriber of `shared`
receives must be, byte for byte, what it receives from `solo`. Changes (sign-outs, roles)
go through a third replica, `other`, which publishes on the writer's bus."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest_asyncio

from tests.support.backends import Buses
from tests.support.graphql import GraphQLClient
from tests.support.servers import AppServer, RunningServer, running_app


@dataclass
class Replicas:
    shared: AppServer
    solo: AppServer
    buses: Buses
    gql: GraphQLClient  # to the `other` replica


@pytest_asyncio.fixture
async def replicas(server: RunningServer, buses: Buses) -> AsyncIterator[Replicas]:
    solo_settings = server.settings.model_copy(update={"subscription_shared_results": False})
    async with (
        running_app(server.settings, bus=buses.server) as shared,
        running_app(solo_settings, bus=buses.server) as solo,
        running_app(server.settings, bus=buses.writer) as other,
        httpx.AsyncClient(base_url=other.base_url, timeout=30) as http,
    ):
        yield Replicas(shared, solo, buses, GraphQLClient(http))
