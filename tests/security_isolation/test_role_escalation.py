"""Nobody reaches a permission by granting a role: the escalation matrix, from core/rbac.py.

For every organization permission p (and for the permissions of every assignable built-in
role), a granter in organization A whose custom role holds exactly those plus what the
granting mutation needs (`member:manage` to invite and to change roles, `api_key:manage` to
create keys) tries to grant every built-in role, its own role, a custom role with one
permission more, and a custom role holding only p: to a new API key (`apiKeyCreate`), to an
invitation (`memberInvite`), to another member and to itself (`memberUpdateRole`). The
granter is a member signed in, and an API key with the same role.

A grant goes through exactly when the role's permissions are all the granter's own; nobody
changes their own role; a refused grant changes nothing. The expectations are computed
from core/rbac.py, so a new permission or role joins the matrix by itself.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest

from core.rbac import (
    ASSIGNABLE_BUILTIN_ROLES,
    BUILTIN_ROLE_PERMISSIONS,
    ORGANIZATION_PERMISSIONS,
    BuiltinRole,
    Permission,
)
from orm.models import ApiKey, Invitation, Membership
from tests.support.factories import Factories, Tenant, unique_email
from tests.support.graphql import GraphQLClient
from tests.support.ids import uuid_of

API_KEY_CREATE = """
mutation M($input: ApiKeyCreateInput!) {
  apiKeyCreate(input: $input) { apiKey { id role { key } } key errors { code } }
}
"""
MEMBER_INVITE = """
mutation M($input: MemberInviteInput!) {
  memberInvite(input: $input) { invitation { id role { key } } errors { code } }
}
"""
MEMBER_UPDATE_ROLE = """
mutation M($input: MemberUpdateRoleInput!) {
  memberUpdateRole(input: $input) { membership { id role { key } } errors { code } }
}
"""

PERMISSIONS = sorted(p.value for p in ORGANIZATION_PERMISSIONS)
# Who grants: "only <p>" for every permission, "as <role>" for every assignable built-in.
PROFILES: dict[str, frozenset[str]] = {
    **{f"only {p}": frozenset({p}) for p in PERMISSIONS},
    **{
        f"as {role.value}": frozenset(p.value for p in BUILTIN_ROLE_PERMISSIONS[role])
        for role in ASSIGNABLE_BUILTIN_ROLES
    },
}
BUILTIN_PERMISSIONS = {
    role.value: frozenset(p.value for p in permissions)
    for role, permissions in BUILTIN_ROLE_PERMISSIONS.items()
}


@dataclass(frozen=True)
class Channel:
    """One way to grant a role: the mutation, what it needs, and what it leaves behind."""

    name: str
    needs: str
    # A fresh recipient (another member, an invitee's address), made before `state` is read.
    prepare: Callable[[Granting], Awaitable[None]]
    grant: Callable[[Granting, str], Awaitable[dict[str, Any]]]
    # What a refused grant must leave exactly as it was.
    state: Callable[[Granting], Awaitable[Any]]
    # The role key the granted thing holds now, from the payload.
    granted_role: Callable[[dict[str, Any]], str]


@dataclass
class Granting:
    """One row of the matrix: a tenant, a granter, and for each grant a fresh recipient."""

    gql: GraphQLClient
    make: Factories
    tenant: Tenant
    token: str
    own_membership_id: str | None
    own_role_key: str
    recipient: str = ""  # the other member's membership id, or the invitee's email


async def _nobody(g: Granting) -> None:
    g.recipient = ""


async def _new_address(g: Granting) -> None:
    g.recipient = unique_email("escalation")


async def _other_member(g: Granting) -> None:
    # Holding the granter's own role: one whose holder the granter may change at all.
    g.recipient = (await g.make.member(g.tenant, g.own_role_key)).membership_id


async def _create_key(g: Granting, role: str) -> dict[str, Any]:
    variables = {"organizationId": g.tenant.organization_id, "name": "Escalation", "role": role}
    return await g.gql.payload(API_KEY_CREATE, {"input": variables}, token=g.token)


async def _invite(g: Granting, role: str) -> dict[str, Any]:
    variables = {"organizationId": g.tenant.organization_id, "email": g.recipient, "role": role}
    return await g.gql.payload(MEMBER_INVITE, {"input": variables}, token=g.token)


async def _change_other(g: Granting, role: str) -> dict[str, Any]:
    variables = {"membershipId": g.recipient, "role": role}
    return await g.gql.payload(MEMBER_UPDATE_ROLE, {"input": variables}, token=g.token)


async def _change_own(g: Granting, role: str) -> dict[str, Any]:
    assert g.own_membership_id is not None
    variables = {"membershipId": g.own_membership_id, "role": role}
    return await g.gql.payload(MEMBER_UPDATE_ROLE, {"input": variables}, token=g.token)


async def _keys(g: Granting) -> Any:
    return await ApiKey.filter(organization_id=g.tenant.organization_uuid).values_list(
        "id", "role__key", "revoked_at"
    )


async def _invitations(g: Granting) -> Any:
    return await Invitation.filter(organization_id=g.tenant.organization_uuid).values_list(
        "id", "email", "role__key", "revoked_at"
    )


async def _memberships(g: Granting) -> Any:
    return sorted(
        await Membership.filter(organization_id=g.tenant.organization_uuid).values_list(
            "id", "role__key"
        )
    )


CHANNELS = {
    "api_key": Channel(
        "api_key",
        Permission.API_KEY_MANAGE.value,
        _nobody,
        _create_key,
        _keys,
        lambda payload: payload["apiKey"]["role"]["key"],
    ),
    "invitation": Channel(
        "invitation",
        Permission.MEMBER_MANAGE.value,
        _new_address,
        _invite,
        _invitations,
        lambda payload: payload["invitation"]["role"]["key"],
    ),
    "other_member": Channel(
        "other_member",
        Permission.MEMBER_MANAGE.value,
        _other_member,
        _change_other,
        _memberships,
        lambda payload: payload["membership"]["role"]["key"],
    ),
    "self": Channel(
        "self",
        Permission.MEMBER_MANAGE.value,
        _nobody,
        _change_own,
        _memberships,
        lambda payload: payload["membership"]["role"]["key"],
    ),
}
# (channel, granter): an API key has no membership of its own to change.
GRANTERS = [
    (channel, granter)
    for channel in CHANNELS
    for granter in ("member", "api_key")
    if not (channel == "self" and granter == "api_key")
]


def _one_more(held: frozenset[str]) -> str | None:
    """A permission the granter lacks (none when it holds every organization permission)."""
    return next((p for p in PERMISSIONS if p not in held), None)


async def _granting(gql: GraphQLClient, make: Factories, granter: str, role_key: str) -> Granting:
    tenant = await make.tenant("Escalation")
    if granter == "api_key":
        key = await make.api_key(tenant, role_key, name="Granter key")
        return Granting(gql, make, tenant, key.key, None, role_key)
    member = await make.member(tenant, role_key)
    return Granting(gql, make, tenant, member.token, member.membership_id, role_key)


@pytest.mark.parametrize(("channel_name", "granter"), GRANTERS)
@pytest.mark.parametrize("profile", list(PROFILES))
async def test_a_grant_succeeds_only_within_the_granters_own_permissions(
    gql, make, profile: str, channel_name: str, granter: str
):
    # given: the granter's role holds the profile's permissions and what the mutation needs
    channel = CHANNELS[channel_name]
    held = PROFILES[profile] | {channel.needs}
    own_role = await make.custom_role(sorted(held))
    targets: dict[str, frozenset[str]] = {**BUILTIN_PERMISSIONS, own_role.key: held}
    if (lacking := _one_more(held)) is not None:
        wider_role = await make.custom_role(sorted(held | {lacking}))
        targets[wider_role.key] = held | {lacking}
    if profile.startswith("only "):
        narrow = await make.custom_role([profile.removeprefix("only ")])
        targets[narrow.key] = frozenset({profile.removeprefix("only ")})
    g = await _granting(gql, make, granter, own_role.key)

    outcomes = {}
    for role_key, permissions in targets.items():
        await channel.prepare(g)
        before = await channel.state(g)

        # when
        payload = await channel.grant(g, role_key)

        # then
        if role_key == BuiltinRole.PLATFORM_ADMIN.value:
            expected = "INVALID_ROLE"  # held by no organization role, granted by nobody
        elif channel_name == "self":
            expected = "OWN_ROLE"
        elif permissions <= held:
            expected = "granted"
        else:
            expected = "ROLE_NOT_GRANTABLE"
        errors = [error["code"] for error in payload["errors"]]
        if errors:
            outcomes[role_key] = (expected, errors[0])
            assert await channel.state(g) == before, f"refused grant of {role_key} changed data"
        else:
            outcomes[role_key] = (expected, "granted")
            assert channel.granted_role(payload) == role_key
            if channel_name == "other_member":
                stored = await Membership.get(id=uuid_of(g.recipient)).values_list(
                    "role__key", flat=True
                )
                assert stored == role_key

    # then: every grant got exactly its expected answer
    wrong = {role: got for role, got in outcomes.items() if got[0] != got[1]}
    assert wrong == {}, f"(expected, got) for {sorted(held)}"


MEMBER_REMOVE = """
mutation M($input: MemberRemoveInput!) {
  memberRemove(input: $input) { membership { id } errors { code } }
}
"""


@pytest.mark.parametrize("granter", ["member", "api_key"])
async def test_a_member_manager_cannot_demote_or_remove_someone_holding_more(gql, make, granter):
    # given: a role with member:manage (and what a plain member holds), and an admin beside it
    held = BUILTIN_PERMISSIONS[BuiltinRole.MEMBER.value] | {Permission.MEMBER_MANAGE.value}
    manager_role = await make.custom_role(sorted(held))
    g = await _granting(gql, make, granter, manager_role.key)
    admin = await make.member(g.tenant, BuiltinRole.ORG_ADMIN.value)
    before = await _memberships(g)

    # when: it demotes the admin to a role it could grant, then removes the admin
    demoted = await gql.payload(
        MEMBER_UPDATE_ROLE,
        {"input": {"membershipId": admin.membership_id, "role": BuiltinRole.MEMBER.value}},
        token=g.token,
    )
    removed = await gql.payload(
        MEMBER_REMOVE, {"input": {"membershipId": admin.membership_id}}, token=g.token
    )

    # then: both are refused and the admin keeps their place
    assert [e["code"] for e in demoted["errors"]] == ["ROLE_NOT_GRANTABLE"]
    assert [e["code"] for e in removed["errors"]] == ["ROLE_NOT_GRANTABLE"]
    assert await _memberships(g) == before


async def test_a_member_manager_removes_someone_holding_no_more_than_it(gql, make):
    # given
    held = BUILTIN_PERMISSIONS[BuiltinRole.MEMBER.value] | {Permission.MEMBER_MANAGE.value}
    manager_role = await make.custom_role(sorted(held))
    g = await _granting(gql, make, "member", manager_role.key)
    plain = await make.member(g.tenant, BuiltinRole.MEMBER.value)

    # when
    removed = await gql.payload(
        MEMBER_REMOVE, {"input": {"membershipId": plain.membership_id}}, token=g.token
    )

    # then
    assert removed["errors"] == []
    assert not await Membership.exists(id=uuid_of(plain.membership_id))


def test_the_matrix_covers_every_organization_permission_and_builtin_role():
    # then: generated, not listed
    assert {p.removeprefix("only ") for p in PROFILES if p.startswith("only ")} == {
        p.value for p in ORGANIZATION_PERMISSIONS
    }
    assert set(BUILTIN_PERMISSIONS) == {role.value for role in BuiltinRole}
    assert {channel.needs for channel in CHANNELS.values()} <= set(PERMISSIONS)
