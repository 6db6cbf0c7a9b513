"""Every tenant table (from the models) has row-level security forced, with a policy on its
organization; the application connects as a role that cannot step around them."""

from __future__ import annotations

import asyncpg
import pytest

from tests.row_level_security.tables import NOT_TENANT_DATA, tenant_tables
from tests.support.backends import needs_postgres

pytestmark = needs_postgres

APP_ROLE = "voiceagents_app"


@pytest.mark.parametrize("table", sorted(tenant_tables()))
async def test_each_tenant_table_forces_a_policy_on_its_organization(
    app_sql: asyncpg.Connection, table: str
):
    # given
    entry = tenant_tables()[table]

    # when
    row = await app_sql.fetchrow(
        "SELECT relrowsecurity, relforcerowsecurity FROM pg_class"
        " WHERE relname = $1 AND relkind = 'r'",
        table,
    )
    policies = await app_sql.fetch(
        "SELECT policyname, cmd, permissive, roles, qual, with_check FROM pg_policies"
        " WHERE tablename = $1 AND permissive = 'PERMISSIVE'",
        table,
    )

    # then
    assert row is not None and row["relrowsecurity"] and row["relforcerowsecurity"], table
    assert len(policies) == 1, policies  # one policy admits rows; support's only narrow them
    [policy] = policies
    assert policy["policyname"] == "tenant_rows" and policy["cmd"] == "ALL"
    assert list(policy["roles"]) == ["public"]  # the owner too (FORCE)
    assert policy["qual"] == policy["with_check"]
    if entry.parent is None:
        column = "id" if table == "organizations" else "organization_id"
        assert "SELECT app_platform()" in policy["qual"]
        assert f"{column} = ANY" in policy["qual"] and "app_organization_ids()" in policy["qual"]
    else:
        assert entry.parent in policy["qual"]


async def test_tables_that_are_not_tenant_data_have_no_policy(app_sql: asyncpg.Connection):
    # They are listed with why (tables.py); a policy there would hide rows the product must
    # read before anyone's organization is known (a session, a sign-in attempt).
    secured = {
        record["relname"]
        for record in await app_sql.fetch(
            "SELECT relname FROM pg_class WHERE relrowsecurity AND relname = ANY($1::text[])",
            list(NOT_TENANT_DATA),
        )
    }
    assert secured == set()


async def test_the_application_connects_as_a_role_that_cannot_bypass_the_policies(
    app_sql: asyncpg.Connection,
):
    # when
    me = await app_sql.fetchrow(
        "SELECT current_user AS name, rolsuper, rolbypassrls FROM pg_roles"
        " WHERE rolname = current_user"
    )
    group = await app_sql.fetchrow(
        "SELECT rolsuper, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = $1", APP_ROLE
    )
    member = await app_sql.fetchval("SELECT pg_has_role(current_user, $1, 'member')", APP_ROLE)
    owned = await app_sql.fetchval(
        "SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner"
        " WHERE pg_has_role(current_user, r.oid, 'member')"
        " AND c.relnamespace = 'public'::regnamespace"
    )

    # then
    assert not me["rolsuper"] and not me["rolbypassrls"]
    assert group is not None
    assert not group["rolsuper"] and not group["rolbypassrls"] and not group["rolcanlogin"]
    assert member
    assert owned == 0  # owns no table, so row-level security is never waived for it


async def test_the_cross_tenant_functions_are_definers_with_a_pinned_path_for_the_app_only(
    app_sql: asyncpg.Connection,
):
    # when
    functions = await app_sql.fetch(
        "SELECT proname, prosecdef, proconfig, proacl::text[] AS acl FROM pg_proc"
        " WHERE proname LIKE 'app\\_%' AND pronamespace = 'public'::regnamespace"
        " AND proname NOT IN ('app_platform', 'app_organization_ids')"
    )

    # then
    assert len(functions) >= 10
    for function in functions:
        assert function["prosecdef"], function["proname"]
        assert "search_path=public, pg_temp" in function["proconfig"], function["proname"]
        grantees = {entry.split("=", 1)[0] for entry in function["acl"]}
        assert "" not in grantees, f"{function['proname']} is executable by PUBLIC"
        assert APP_ROLE in grantees
