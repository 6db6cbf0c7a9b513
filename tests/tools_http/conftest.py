from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from tests.fakes.http_target import HttpTarget


@pytest_asyncio.fixture
async def target() -> AsyncIterator[HttpTarget]:
    """A fake HTTP service of this test alone: nothing scripted, nothing recorded yet."""
    async with HttpTarget() as running:
        yield running
