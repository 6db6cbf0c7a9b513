from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from tests.fakes.google import FakeGoogle
from tests.google_sign_in.helpers import SignInApp, sign_in_settings
from tests.support.servers import APP_BASE_URL, RunningServer, asgi_client


@pytest_asyncio.fixture
async def app(server: RunningServer, google: FakeGoogle) -> AsyncIterator[SignInApp]:
    """The API in-process with sign-in with Google on, against the fake Google."""
    settings = sign_in_settings(server.settings, google)
    async with asgi_client(settings, base_url=APP_BASE_URL) as api:
        yield SignInApp(settings=settings, http=api.http, gql=api.gql, google=google)
