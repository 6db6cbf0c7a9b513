from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from tests.fakes.google import FakeGoogle
from tests.support.servers import APP_BASE_URL, RunningServer, asgi_client
from tests.tools_google.helpers import GoogleApp


@pytest_asyncio.fixture
async def app(server: RunningServer, google: FakeGoogle) -> AsyncIterator[GoogleApp]:
    """The API in-process with settings pointing at the fake Google (the server's database)."""
    settings = server.settings.model_copy(update=google.settings_overrides())
    assert settings.public_base_url == APP_BASE_URL
    async with asgi_client(settings, base_url=APP_BASE_URL) as api:
        yield GoogleApp(settings=settings, http=api.http, gql=api.gql, google=google)
