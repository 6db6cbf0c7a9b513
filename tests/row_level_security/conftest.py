"""The row-level security suite: PostgreSQL only (SQLite has none), on the suite's server
database, with two organizations that each hold a row in every tenant table."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest_asyncio

from tests.row_level_security.world import World, build
from tests.support.database import asyncpg_url
from tests.support.factories import Factories
from tests.support.servers import RunningServer


@pytest_asyncio.fixture(scope="module")
async def world(make: Factories, owner_database_url: str) -> World:
    return await build(make, owner_database_url)


@pytest_asyncio.fixture
async def app_sql(server: RunningServer) -> AsyncIterator[asyncpg.Connection]:
    """A raw connection as the application role: hand-written SQL, as an intruder's query
    or a forgotten filter would run."""
    connection = await asyncpg.connect(asyncpg_url(server.settings.database_url))
    try:
        yield connection
    finally:
        await connection.close()


async def set_scope(
    connection: asyncpg.Connection, *organization_ids: object, platform: bool = False
) -> None:
    """What the application's client does: the scope of the current transaction."""
    ids = "{" + ",".join(str(i) for i in organization_ids) + "}"
    await connection.execute(
        "SELECT set_config('app.organization_ids', $1, true), set_config('app.platform', $2, true)",
        ids,
        "on" if platform else "off",
    )


# The fake Gemini of the analysis tests, for the analysis runner's scopes.
from tests.call_analysis.conftest import gemini, gemini_server  # noqa: E402, F401
