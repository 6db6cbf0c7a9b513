"""Writes into another organization's rows are refused: its rows cannot be changed or
deleted (they are not there), and no row can be written into it (WITH CHECK)."""

from __future__ import annotations

import asyncpg
import pytest

from tests.row_level_security.conftest import set_scope
from tests.row_level_security.world import World
from tests.support.backends import needs_postgres

pytestmark = needs_postgres


async def test_updating_and_deleting_another_organization_s_rows_touches_none(
    world: World, app_sql: asyncpg.Connection
):
    # given
    a, b = world.a.organization_uuid, world.b.organization_uuid
    b_agents = list(world.ids_of("voice_agents", b))

    # when
    async with app_sql.transaction():
        await set_scope(app_sql, a)
        updated = await app_sql.execute(
            "UPDATE voice_agents SET name = 'taken' WHERE id = ANY($1::uuid[])", b_agents
        )
        deleted = await app_sql.execute("DELETE FROM calls WHERE organization_id = $1", b)

    # then
    assert updated == "UPDATE 0"
    assert deleted == "DELETE 0"


async def test_a_row_cannot_be_written_into_another_organization(
    world: World, app_sql: asyncpg.Connection
):
    # given
    a, b = world.a.organization_uuid, world.b.organization_uuid
    [agent] = list(world.ids_of("voice_agents", a))[:1]

    # when / then: moving A's own row to B
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="row-level security"):
        async with app_sql.transaction():
            await set_scope(app_sql, a)
            await app_sql.execute(
                "UPDATE voice_agents SET organization_id = $1 WHERE id = $2", b, agent
            )

    # when / then: a new row in B
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="row-level security"):
        async with app_sql.transaction():
            await set_scope(app_sql, a)
            await app_sql.execute(
                "INSERT INTO credit_ledger (id, created_at, updated_at, organization_id, amount,"
                " kind, reason, reference, balance_after, data)"
                " VALUES (gen_random_uuid(), now(), now(), $1, 1000, 'grant', 'free', 'x', 0,"
                " '{}')",
                b,
            )


async def test_the_application_role_cannot_lift_the_policies(app_sql: asyncpg.Connection):
    # The role owns no table: it can neither switch row-level security off nor drop a policy.
    for statement in (
        "ALTER TABLE calls DISABLE ROW LEVEL SECURITY",
        "ALTER TABLE calls NO FORCE ROW LEVEL SECURITY",
        "DROP POLICY tenant_rows ON calls",
        "CREATE TABLE smuggled (id int)",
        "TRUNCATE calls",
    ):
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await app_sql.execute(statement)
