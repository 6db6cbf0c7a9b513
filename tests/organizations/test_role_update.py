"""roleUpdate: a platform admin rewords or re-permissions a custom role; built-ins stay as
core/rbac.py defines them."""

from __future__ import annotations

import pytest

from core.rbac import BuiltinRole
from orm.models import Role, RolePermission
from tests.support.factories import unique_name
from tests.support.graphql import error_codes, payload_codes
from tests.support.ids import fake_global_id, global_id
from tests.support.operations import AGENTS

ROLE_UPDATE = """
mutation RoleUpdate($input: RoleUpdateInput!) {
  roleUpdate(input: $input) {
    role { id key name description isBuiltin permissions }
    errors { field message code }
  }
}
"""


async def _state(role_id) -> tuple:
    role = await Role.get(id=role_id)
    permissions = await RolePermission.filter(role_id=role_id).values_list("permission", flat=True)
    return role.key, role.name, role.description, role.is_builtin, sorted(permissions)


async def test_platform_admin_rewords_and_repermissions_a_custom_role(gql, make):
    # given
    admin = await make.platform_admin()
    role = await make.custom_role(["org:read", "call:read"])
    role_id = global_id("Role", role.id)

    # when
    payload = await gql.payload(
        ROLE_UPDATE,
        {
            "input": {
                "id": role_id,
                "name": "Receptionist lead",
                "description": "Reads agents and calls",
                "permissions": ["agent:read", "call:read", "org:read"],
            }
        },
        token=admin.token,
    )

    # then
    assert payload["errors"] == []
    assert payload["role"] == {
        "id": role_id,
        "key": role.key,
        "name": "Receptionist lead",
        "description": "Reads agents and calls",
        "isBuiltin": False,
        "permissions": ["agent:read", "call:read", "org:read"],
    }
    assert await _state(role.id) == (
        role.key,
        "Receptionist lead",
        "Reads agents and calls",
        False,
        ["agent:read", "call:read", "org:read"],
    )


async def test_omitted_fields_stay_as_they_are(gql, make):
    # given
    admin = await make.platform_admin()
    role = await make.custom_role(["org:read", "call:read"])
    before = await _state(role.id)

    # when
    payload = await gql.payload(
        ROLE_UPDATE,
        {"input": {"id": global_id("Role", role.id), "name": "Call reader"}},
        token=admin.token,
    )

    # then
    assert payload["errors"] == []
    assert await _state(role.id) == (before[0], "Call reader", *before[2:])


async def test_holders_act_with_the_new_permissions_on_their_next_request(gql, make):
    # given: a member whose custom role cannot read agents
    admin = await make.platform_admin()
    tenant = await make.tenant("Re-permissioned")
    role = await make.custom_role(["org:read"])
    holder = await make.member(tenant, role.key)
    variables = {"organizationId": tenant.organization_id}
    assert error_codes(await gql.execute(AGENTS, variables, token=holder.token)) == ["FORBIDDEN"]

    # when
    await gql.ok(
        ROLE_UPDATE,
        {"input": {"id": global_id("Role", role.id), "permissions": ["org:read", "agent:read"]}},
        token=admin.token,
    )

    # then
    assert (await gql.data(AGENTS, variables, token=holder.token))["agents"]["edges"] == []


@pytest.mark.parametrize("key", [role.value for role in BuiltinRole])
async def test_builtin_roles_cannot_be_changed(gql, make, key):
    # given
    admin = await make.platform_admin()
    role = await Role.get(key=key)
    before = await _state(role.id)

    # when
    payload = await gql.payload(
        ROLE_UPDATE,
        {"input": {"id": global_id("Role", role.id), "name": "Mine now", "permissions": []}},
        token=admin.token,
    )

    # then
    assert payload["role"] is None
    assert payload_codes(payload) == ["BUILTIN_ROLE"]
    assert await _state(role.id) == before


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"name": "  "}, "name", "INVALID_NAME"),
        ({"name": "x" * 101}, "name", "INVALID_NAME"),
        ({"permissions": ["org:read", "platform:manage"]}, "permissions", "INVALID_PERMISSION"),
        ({"permissions": ["org:read", "foo:bar"]}, "permissions", "INVALID_PERMISSION"),
    ],
)
async def test_invalid_input_changes_nothing(gql, make, change, field, code):
    # given
    admin = await make.platform_admin()
    role = await make.custom_role(["org:read"])
    before = await _state(role.id)

    # when
    payload = await gql.payload(
        ROLE_UPDATE, {"input": {"id": global_id("Role", role.id), **change}}, token=admin.token
    )

    # then
    assert payload["role"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [(field, code)]
    assert await _state(role.id) == before


@pytest.mark.parametrize("caller", ["org_admin", "org_admin_api_key"])
async def test_only_platform_admins_change_roles(gql, make, caller):
    # given
    tenant = await make.tenant("Wants more")
    role = await make.custom_role(["org:read"])
    token = tenant.token if caller == "org_admin" else (await make.api_key(tenant, "org_admin")).key
    before = await _state(role.id)

    # when
    body = await gql.execute(
        ROLE_UPDATE,
        {"input": {"id": global_id("Role", role.id), "permissions": ["org:read", "org:manage"]}},
        token=token,
    )

    # then
    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN"]
    assert await _state(role.id) == before


async def test_an_unknown_role_is_not_found(gql, make):
    # given
    admin = await make.platform_admin()

    # when
    body = await gql.execute(
        ROLE_UPDATE, {"input": {"id": fake_global_id("Role"), "name": "Ghost"}}, token=admin.token
    )

    # then
    assert body["data"] is None
    assert error_codes(body) == ["NOT_FOUND"]


async def test_anonymous_is_unauthenticated(gql, make):
    # given
    role = await make.custom_role(["org:read"], key=unique_name("anon"))

    # when
    body = await gql.execute(ROLE_UPDATE, {"input": {"id": global_id("Role", role.id)}})

    # then
    assert error_codes(body) == ["UNAUTHENTICATED"]
