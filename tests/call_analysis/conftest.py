"""The fake Gemini API for the analysis tests: one server per session, a clean slate per test."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest_asyncio

from tests.fakes.gemini import FakeGemini


@pytest_asyncio.fixture(scope="session")
async def gemini_server() -> AsyncIterator[FakeGemini]:
    async with FakeGemini() as fake:
        yield fake


@pytest_asyncio.fixture
async def gemini(gemini_server: FakeGemini) -> AsyncIterator[FakeGemini]:
    """The fake, running (a test may stop it), with nothing scripted or recorded; a test
    that leaves a request unanswered by its script fails."""
    gemini_server.reset()
    await gemini_server.start()
    yield gemini_server
    assert gemini_server.unscripted == [], "requests the test did not script an answer for"
