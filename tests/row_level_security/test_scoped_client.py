"""The application's client: every statement runs with its task's scope, whichever pooled
connection it gets, inside transactions too; a query that forgets its organization filter
finds the scope's rows only."""

from __future__ import annotations

import asyncio

import pytest
from tortoise.transactions import in_transaction

from core import tenancy
from orm.models import Call, VoiceAgent
from orm.queries import flat_values
from tests.row_level_security.world import World
from tests.support.backends import needs_postgres

pytestmark = needs_postgres


async def _owners() -> set[object]:
    return set(await flat_values(VoiceAgent.all(), "organization_id"))


async def test_a_query_without_its_organization_filter_finds_the_scope_s_rows_only(world: World):
    # given
    a = world.a.organization_uuid

    # when
    with tenancy.tenant_scope([a]):
        calls = await Call.all()
        agents = await _owners()

    # then
    assert calls and {call.organization_id for call in calls} == {a}
    assert agents == {a}


async def test_no_scope_reaches_nothing(world: World):
    with tenancy.scoped(tenancy.NOTHING):
        assert await Call.all().count() == 0


async def test_pooled_connections_never_lend_one_task_s_scope_to_another(world: World):
    # given: more tasks than the pool has connections, alternating organizations
    a, b = world.a.organization_uuid, world.b.organization_uuid

    async def look(organization: object | None) -> tuple[object | None, set[object]]:
        scope = (
            tenancy.tenant_scope([organization])
            if organization
            else tenancy.scoped(tenancy.NOTHING)
        )
        with scope:
            await asyncio.sleep(0)
            return organization, await _owners()

    # when
    results = await asyncio.gather(*(look([a, b, None][i % 3]) for i in range(60)))

    # then
    for organization, owners in results:
        assert owners == ({organization} if organization else set())


async def test_an_organization_admitted_inside_a_transaction_is_reached_from_then_on(
    world: World,
):
    # given
    a, b = world.a.organization_uuid, world.b.organization_uuid

    # when
    with tenancy.tenant_scope([a]):
        async with in_transaction():
            before = await _owners()
            tenancy.admit([b])
            inside = await _owners()
        after = await _owners()

    # then
    assert (before, inside, after) == ({a}, {a, b}, {a, b})


async def test_a_widening_ends_with_its_block_even_when_a_savepoint_rolls_back(world: World):
    # given
    a, b = world.a.organization_uuid, world.b.organization_uuid
    seen = []

    # when
    with tenancy.tenant_scope([a]):
        async with in_transaction():
            with pytest.raises(RuntimeError):
                async with in_transaction():
                    with tenancy.widened([b]):
                        seen.append(await _owners())
                        raise RuntimeError("rolled back")
            seen.append(await _owners())
        seen.append(await _owners())

    # then
    assert seen == [{a, b}, {a}, {a}]
