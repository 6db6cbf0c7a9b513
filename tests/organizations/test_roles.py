"""roles and roleCreate: built-ins are listed; only platform admins create roles."""

from __future__ import annotations

import pytest

from orm.models import Role
from tests.support.factories import unique_name
from tests.support.graphql import error_codes
from tests.support.ids import type_of
from tests.support.operations import ROLE_CREATE, ROLES

BUILTIN_KEYS = ["billing", "member", "org_admin", "platform_admin"]


def _input(key: str, permissions: list[str]) -> dict:
    return {
        "input": {
            "key": key,
            "name": "Receptionist supervisor",
            "description": "Reads agents",
            "permissions": permissions,
        }
    }


async def test_lists_the_four_builtin_roles_first(gql, make):
    # given: a custom role exists besides the built-in ones
    account = await make.account()
    await make.custom_role(["org:read"])

    # when
    data = await gql.data(ROLES, token=account.token)

    # then
    roles = data["roles"]
    assert [r["key"] for r in roles[:4]] == BUILTIN_KEYS
    assert all(r["isBuiltin"] for r in roles[:4])
    assert not any(r["isBuiltin"] for r in roles[4:])
    by_key = {r["key"]: r for r in roles}
    assert "platform:manage" in by_key["platform_admin"]["permissions"]
    assert "platform:manage" not in by_key["org_admin"]["permissions"]
    assert "agent:read" not in by_key["billing"]["permissions"]
    assert "billing:manage" not in by_key["member"]["permissions"]


async def test_anonymous_cannot_list_roles(gql):
    # when
    body = await gql.execute(ROLES)

    # then
    assert body["data"] is None
    assert error_codes(body) == ["UNAUTHENTICATED"]


async def test_non_admin_cannot_create_roles(gql, make):
    # given
    account = await make.account()
    key = unique_name("role")

    # when
    body = await gql.execute(ROLE_CREATE, _input(key, ["org:read"]), token=account.token)

    # then
    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN"]
    assert not await Role.exists(key=key)


async def test_platform_admin_creates_a_role(gql, make):
    # given
    admin = await make.platform_admin()
    key = unique_name("role")

    # when
    payload = await gql.payload(
        ROLE_CREATE, _input(key, ["agent:read", "org:read"]), token=admin.token
    )

    # then
    assert payload["errors"] == []
    role = payload["role"]
    assert type_of(role.pop("id")) == "Role"
    assert role == {
        "key": key,
        "name": "Receptionist supervisor",
        "description": "Reads agents",
        "isBuiltin": False,
        "permissions": ["agent:read", "org:read"],
    }
    listed = await gql.data(ROLES, token=admin.token)
    assert key in [r["key"] for r in listed["roles"]]


@pytest.mark.parametrize("permission", ["platform:manage", "foo:bar"])
async def test_invalid_permission(gql, make, permission):
    # given
    admin = await make.platform_admin()
    key = unique_name("role")

    # when
    payload = await gql.payload(
        ROLE_CREATE, _input(key, ["org:read", permission]), token=admin.token
    )

    # then
    assert payload["role"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("permissions", "INVALID_PERMISSION")
    ]
    assert not await Role.exists(key=key)
