"""roleDelete: a platform admin deletes a custom role nobody holds; a role in use (by a
membership, a pending invitation or an unrevoked API key) and the built-in roles stay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.rbac import BuiltinRole
from orm.models import ApiKey, Invitation, Role, RolePermission
from tests.organizations.helpers import invite
from tests.support.factories import Tenant, unique_email
from tests.support.graphql import error_codes, payload_codes
from tests.support.ids import fake_global_id, global_id, uuid_of
from tests.support.operations import ROLES

ROLE_DELETE = """
mutation RoleDelete($input: RoleDeleteInput!) {
  roleDelete(input: $input) {
    role { id key isBuiltin permissions }
    errors { field message code }
  }
}
"""


async def _invitation(gql, tenant: Tenant, role_key: str) -> Invitation:
    invitation_id, _token = await invite(gql, tenant, unique_email("role-delete"), role_key)
    return await Invitation.get(id=uuid_of(invitation_id))


async def _delete(gql, admin, role: Role) -> dict:
    return await gql.payload(
        ROLE_DELETE, {"input": {"id": global_id("Role", role.id)}}, token=admin.token
    )


async def test_platform_admin_deletes_a_role_nobody_holds(gql, make):
    # given
    admin = await make.platform_admin()
    role = await make.custom_role(["org:read", "call:read"])

    # when
    payload = await _delete(gql, admin, role)

    # then: the payload shows the role as it was
    assert payload["errors"] == []
    assert payload["role"] == {
        "id": global_id("Role", role.id),
        "key": role.key,
        "isBuiltin": False,
        "permissions": ["call:read", "org:read"],
    }
    assert not await Role.exists(id=role.id)
    assert not await RolePermission.exists(role_id=role.id)
    listed = await gql.data(ROLES, token=admin.token)
    assert role.key not in [r["key"] for r in listed["roles"]]


async def test_a_role_only_history_names_is_deleted_with_that_history(gql, make):
    # given: a revoked key, and invitations revoked, accepted and expired, all with the role
    admin = await make.platform_admin()
    tenant = await make.tenant("History")
    role = await make.custom_role(["org:read"])
    key = await make.api_key(tenant, role.key)
    await ApiKey.filter(id=key.row.id).update(revoked_at=datetime.now(UTC))
    revoked, accepted, expired = [await _invitation(gql, tenant, role.key) for _ in range(3)]
    now = datetime.now(UTC)
    await Invitation.filter(id=revoked.id).update(revoked_at=now)
    await Invitation.filter(id=accepted.id).update(accepted_at=now)
    await Invitation.filter(id=expired.id).update(expires_at=now - timedelta(seconds=1))

    # when
    payload = await _delete(gql, admin, role)

    # then
    assert payload["errors"] == []
    assert not await Role.exists(id=role.id)
    assert not await ApiKey.exists(role_id=role.id)
    assert not await Invitation.exists(role_id=role.id)


@pytest.mark.parametrize("holder", ["membership", "pending_invitation", "api_key"])
async def test_a_role_in_use_is_not_deleted(gql, make, holder):
    # given
    admin = await make.platform_admin()
    tenant = await make.tenant("Holders")
    role = await make.custom_role(["org:read"])
    if holder == "membership":
        await make.member(tenant, role.key)
    elif holder == "pending_invitation":
        await _invitation(gql, tenant, role.key)
    else:
        await make.api_key(tenant, role.key)

    # when
    payload = await _delete(gql, admin, role)

    # then
    assert payload["role"] is None
    assert payload_codes(payload) == ["ROLE_IN_USE"]
    assert await Role.exists(id=role.id)
    assert sorted(
        await RolePermission.filter(role_id=role.id).values_list("permission", flat=True)
    ) == ["org:read"]


@pytest.mark.parametrize("key", [role.value for role in BuiltinRole])
async def test_builtin_roles_cannot_be_deleted(gql, make, key):
    # given
    admin = await make.platform_admin()
    role = await Role.get(key=key)

    # when
    payload = await _delete(gql, admin, role)

    # then
    assert payload["role"] is None
    assert payload_codes(payload) == ["BUILTIN_ROLE"]
    assert await Role.exists(id=role.id)


@pytest.mark.parametrize("caller", ["org_admin", "org_admin_api_key"])
async def test_only_platform_admins_delete_roles(gql, make, caller):
    # given
    tenant = await make.tenant("Tidy")
    role = await make.custom_role(["org:read"])
    token = tenant.token if caller == "org_admin" else (await make.api_key(tenant, "org_admin")).key

    # when
    body = await gql.execute(
        ROLE_DELETE, {"input": {"id": global_id("Role", role.id)}}, token=token
    )

    # then
    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN"]
    assert await Role.exists(id=role.id)


async def test_an_unknown_role_is_not_found(gql, make):
    # given
    admin = await make.platform_admin()

    # when
    body = await gql.execute(
        ROLE_DELETE, {"input": {"id": fake_global_id("Role")}}, token=admin.token
    )

    # then
    assert body["data"] is None
    assert error_codes(body) == ["NOT_FOUND"]
