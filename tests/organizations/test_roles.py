"""roles and roleCreate: built-ins are listed; only platform admins create roles."""

from __future__ import annotations

import uuid

import pytest

from orm.models import Role
from tests.conftest import sign_up
from tests.organizations.helpers import error_codes, make_platform_admin

ROLES = """
query Roles {
  roles { key name isBuiltin permissions }
}
"""

ROLE_CREATE = """
mutation RoleCreate($input: RoleCreateInput!) {
  roleCreate(input: $input) {
    role { key name description isBuiltin permissions }
    errors { field message code }
  }
}
"""

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


async def test_lists_the_four_builtin_roles_first(gql):
    # given
    account = await sign_up(gql)

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
    assert error_codes(body) == ["UNAUTHENTICATED"]


async def test_non_admin_cannot_create_roles(gql):
    # given
    account = await sign_up(gql)
    key = f"role_{uuid.uuid4().hex[:10]}"

    # when
    body = await gql.execute(ROLE_CREATE, _input(key, ["org:read"]), token=account.token)

    # then
    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN"]
    assert not await Role.exists(key=key)


async def test_platform_admin_creates_a_role(gql):
    # given
    admin = await sign_up(gql)
    await make_platform_admin(admin)
    key = f"role_{uuid.uuid4().hex[:10]}"

    # when
    data = await gql.data(ROLE_CREATE, _input(key, ["agent:read", "org:read"]), token=admin.token)

    # then
    payload = data["roleCreate"]
    assert payload["errors"] == []
    assert payload["role"] == {
        "key": key,
        "name": "Receptionist supervisor",
        "description": "Reads agents",
        "isBuiltin": False,
        "permissions": ["agent:read", "org:read"],
    }
    listed = await gql.data(ROLES, token=admin.token)
    assert key in [r["key"] for r in listed["roles"]]


@pytest.mark.parametrize("permission", ["platform:manage", "foo:bar"])
async def test_invalid_permission(gql, permission):
    # given
    admin = await sign_up(gql)
    await make_platform_admin(admin)
    key = f"role_{uuid.uuid4().hex[:10]}"

    # when
    data = await gql.data(ROLE_CREATE, _input(key, ["org:read", permission]), token=admin.token)

    # then
    payload = data["roleCreate"]
    assert payload["role"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("permissions", "INVALID_PERMISSION")
    ]
    assert not await Role.exists(key=key)
