"""Hand-written SQL as the application role, with one organization set, finds no row of
another in any tenant table (the list comes from the models: tables.py)."""

from __future__ import annotations

import asyncpg
import pytest

from tests.row_level_security.conftest import set_scope
from tests.row_level_security.tables import tenant_tables
from tests.row_level_security.world import World
from tests.support.backends import needs_postgres

pytestmark = needs_postgres

TABLES = sorted(tenant_tables())


def test_the_world_holds_rows_of_both_organizations_in_every_tenant_table(world: World):
    # A table without rows of both proves nothing below: seed it in world.populate.
    for table in TABLES:
        assert world.ids_of(table, world.a.organization_uuid), f"no row of A in {table}"
        assert world.ids_of(table, world.b.organization_uuid), f"no row of B in {table}"


@pytest.mark.parametrize("table", TABLES)
async def test_one_organization_set_sees_its_rows_and_none_of_another(
    world: World, app_sql: asyncpg.Connection, table: str
):
    # given
    a = world.a.organization_uuid

    # when
    async with app_sql.transaction():
        await set_scope(app_sql, a)
        seen = {row["id"] for row in await app_sql.fetch(f'SELECT id FROM "{table}"')}

    # then: exactly A's rows (every row of the table belongs to A, B or nobody)
    assert seen == world.ids_of(table, a)


@pytest.mark.parametrize("table", TABLES)
async def test_nothing_set_sees_no_row(world: World, app_sql: asyncpg.Connection, table: str):
    # when
    async with app_sql.transaction():
        count = await app_sql.fetchval(f'SELECT count(*) FROM "{table}"')

    # then
    assert count == 0


async def test_select_star_from_calls_in_a_transaction_set_to_a_returns_only_a_s_calls(
    world: World, app_sql: asyncpg.Connection
):
    # given: the check, as written
    a = world.a.organization_uuid

    # when
    async with app_sql.transaction():
        await app_sql.execute("SELECT set_config('app.organization_ids', $1, true)", f"{{{a}}}")
        calls = await app_sql.fetch("SELECT * FROM calls")

    # then
    assert calls
    assert {call["organization_id"] for call in calls} == {a}


async def test_the_platform_flag_sees_both(world: World, app_sql: asyncpg.Connection):
    # when
    async with app_sql.transaction():
        await set_scope(app_sql, platform=True)
        owners = {row["organization_id"] for row in await app_sql.fetch("SELECT * FROM calls")}

    # then
    assert {world.a.organization_uuid, world.b.organization_uuid} <= owners


async def test_the_scope_ends_with_its_transaction(world: World, app_sql: asyncpg.Connection):
    # given
    async with app_sql.transaction():
        await set_scope(app_sql, world.a.organization_uuid)

    # when
    count = await app_sql.fetchval("SELECT count(*) FROM calls")

    # then
    assert count == 0
