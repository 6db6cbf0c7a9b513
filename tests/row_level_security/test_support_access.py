"""A support engineer's login (a member of voiceagents_support) reads the organization its
session names, through the same policies, and nothing else: not with the platform flag,
not the tables holding secrets, and it writes nothing (docs/operations.md)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import asyncpg
import pytest
import pytest_asyncio

from tests.row_level_security.conftest import set_scope
from tests.row_level_security.world import World
from tests.support.backends import needs_postgres
from tests.support.database import asyncpg_url
from tests.support.servers import RunningServer

pytestmark = needs_postgres

SUPPORT_LOGIN = "voiceagents_support_test"


@pytest_asyncio.fixture
async def support_sql(
    server: RunningServer, owner_database_url: str
) -> AsyncIterator[asyncpg.Connection]:
    # As the operations guide says: a LOGIN role of the person's own, in voiceagents_support.
    owner = await asyncpg.connect(asyncpg_url(owner_database_url))
    try:
        await owner.execute(
            f"""
            DO $$
            BEGIN
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{SUPPORT_LOGIN}') THEN
                    CREATE ROLE {SUPPORT_LOGIN} LOGIN IN ROLE voiceagents_support;
                END IF;
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL;
            END
            $$;
            ALTER ROLE {SUPPORT_LOGIN} SET default_transaction_read_only = on;
            """
        )
    finally:
        await owner.close()
    app_url = asyncpg_url(server.settings.database_url)
    connection = await asyncpg.connect(
        app_url.replace("voiceagents_app_test@", f"{SUPPORT_LOGIN}@")
    )
    try:
        yield connection
    finally:
        await connection.close()


async def test_support_reads_the_organization_its_session_names(
    world: World, support_sql: asyncpg.Connection
):
    # given
    a = world.a.organization_uuid

    # when
    async with support_sql.transaction():
        await set_scope(support_sql, a)
        owners = {row["organization_id"] for row in await support_sql.fetch("SELECT * FROM calls")}

    # then
    assert owners == {a}


async def test_support_gets_nothing_from_the_platform_flag(
    world: World, support_sql: asyncpg.Connection
):
    # when
    async with support_sql.transaction():
        await set_scope(support_sql, platform=True)
        count = await support_sql.fetchval("SELECT count(*) FROM calls")

    # then
    assert count == 0


async def test_support_cannot_read_secrets_nor_write(world: World, support_sql: asyncpg.Connection):
    for statement in (
        "SELECT * FROM api_keys",
        "SELECT * FROM agent_tools",
        "SELECT * FROM users",
        "UPDATE calls SET status = 'failed'",
    ):
        with pytest.raises(
            (asyncpg.InsufficientPrivilegeError, asyncpg.ReadOnlySQLTransactionError)
        ):
            async with support_sql.transaction():
                await set_scope(support_sql, world.a.organization_uuid)
                await support_sql.execute(statement)
