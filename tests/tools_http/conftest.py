from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from tests.fakes.http_target import HttpTarget, running_http_target


@pytest_asyncio.fixture
async def target() -> AsyncIterator[HttpTarget]:
    async with running_http_target() as running:
        yield running
