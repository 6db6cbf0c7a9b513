from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest_asyncio

from graphql_api.app import create_app
from tests.conftest import RunningServer
from tests.fakes.google import FakeGoogle
from tests.tools_google.helpers import APP_BASE_URL, GoogleApp, RecordingGraphQLClient


@pytest_asyncio.fixture(scope="session")
async def google_server() -> AsyncIterator[FakeGoogle]:
    async with FakeGoogle(redirect_uris={f"{APP_BASE_URL}/oauth/google/callback"}) as fake:
        yield fake


@pytest_asyncio.fixture
async def google(google_server: FakeGoogle) -> FakeGoogle:
    """The fake Google with a clean slate: no grants, events or recorded requests."""
    google_server.reset()
    return google_server


@pytest_asyncio.fixture
async def app(server: RunningServer, google: FakeGoogle) -> AsyncIterator[GoogleApp]:
    """The API built in-process with settings pointing at the fake Google (same database)."""
    settings = server.settings.model_copy(update=google.settings_overrides())
    assert settings.public_base_url == APP_BASE_URL
    asgi = create_app(settings, run_mail_sender=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=asgi), base_url=APP_BASE_URL, timeout=20
    ) as http:
        yield GoogleApp(
            settings=settings, http=http, gql=RecordingGraphQLClient(http), google=google
        )
