"""memberUpdateRole: roles change, but an organization never loses its last admin."""

from __future__ import annotations

import asyncio

import pytest

from orm.models import Membership
from tests.organizations.helpers import owner_membership_id
from tests.support.graphql import error_codes, payload_codes
from tests.support.ids import uuid_of

MEMBER_UPDATE_ROLE = """
mutation MemberUpdateRole($input: MemberUpdateRoleInput!) {
  memberUpdateRole(input: $input) {
    membership { id role { key } user { email } }
    errors { field message code }
  }
}
"""


def _input(membership_id: str, role: str) -> dict:
    return {"input": {"membershipId": membership_id, "role": role}}


async def _admin_count(tenant) -> int:
    return await Membership.filter(
        organization_id=tenant.organization_uuid, role__key="org_admin"
    ).count()


async def _role_of(membership_id: str) -> str:
    membership = await Membership.get(id=uuid_of(membership_id)).select_related("role")
    return membership.role.key


async def test_admin_changes_a_members_role(gql, make):
    # given
    tenant = await make.tenant("Promotions")
    member = await make.member(tenant, "member")
    membership_id = member.membership_id

    # when
    payload = await gql.payload(
        MEMBER_UPDATE_ROLE, _input(membership_id, "billing"), token=tenant.token
    )

    # then
    assert payload["errors"] == []
    assert payload["membership"] == {
        "id": membership_id,
        "role": {"key": "billing"},
        "user": {"email": member.email},
    }
    assert await _role_of(membership_id) == "billing"


async def test_last_admin_cannot_be_demoted(gql, make):
    # given: nobody changes their own role, so a platform admin tries
    tenant = await make.tenant("Lonely Admin")
    membership_id = await owner_membership_id(tenant)
    platform_admin = await make.platform_admin()

    # when
    payload = await gql.payload(
        MEMBER_UPDATE_ROLE, _input(membership_id, "member"), token=platform_admin.token
    )

    # then
    assert payload["membership"] is None
    assert [e["code"] for e in payload["errors"]] == ["LAST_ADMIN"]
    assert await _role_of(membership_id) == "org_admin"


async def test_one_of_two_admins_can_be_demoted(gql, make):
    # given
    tenant = await make.tenant("Two Admins")
    second_admin = await make.member(tenant, "org_admin")

    # when
    payload = await gql.payload(
        MEMBER_UPDATE_ROLE, _input(second_admin.membership_id, "member"), token=tenant.token
    )

    # then
    assert payload["errors"] == []
    assert payload["membership"]["role"] == {"key": "member"}
    assert await _admin_count(tenant) == 1


async def test_invalid_role(gql, make):
    # given
    tenant = await make.tenant("Bad Roles")
    membership_id = (await make.member(tenant, "member")).membership_id

    for role in ("nope", "platform_admin"):
        # when
        payload = await gql.payload(
            MEMBER_UPDATE_ROLE, _input(membership_id, role), token=tenant.token
        )

        # then
        assert payload_codes(payload) == ["INVALID_ROLE"]
        assert await _role_of(membership_id) == "member"


async def test_membership_of_another_organization_is_not_found(gql, make):
    # given
    mine = await make.tenant("Mine")
    theirs = await make.tenant("Theirs")
    other_membership = await owner_membership_id(theirs)

    # when
    body = await gql.execute(
        MEMBER_UPDATE_ROLE, _input(other_membership, "member"), token=mine.token
    )

    # then
    assert body["data"] is None
    assert error_codes(body) == ["NOT_FOUND"]
    assert await _role_of(other_membership) == "org_admin"


@pytest.mark.parametrize(
    ("own_role", "wanted"),
    [
        ("org_admin", "member"),  # another admin exists: only the self rule refuses
        ("member_manager", "org_admin"),
        ("member_manager", "member_manager"),
    ],
)
async def test_nobody_changes_their_own_role(gql, make, own_role, wanted):
    # given: "member_manager" is a custom role that may manage members
    tenant = await make.tenant("Self Service")
    manager_role = await make.custom_role(["org:read", "member:read", "member:manage"])
    own_role, wanted = (
        manager_role.key if r == "member_manager" else r for r in (own_role, wanted)
    )
    me = await make.member(tenant, own_role)

    # when
    payload = await gql.payload(
        MEMBER_UPDATE_ROLE, _input(me.membership_id, wanted), token=me.token
    )

    # then
    assert payload["membership"] is None
    assert payload_codes(payload) == ["OWN_ROLE"]
    assert await _role_of(me.membership_id) == own_role


async def test_a_platform_admin_does_not_change_their_own_membership_either(gql, make):
    # given
    tenant = await make.tenant("Admins Too")
    admin = await make.platform_admin()
    membership = await make.join(tenant, admin, "member")

    # when
    payload = await gql.payload(
        MEMBER_UPDATE_ROLE, _input(membership.membership_id, "org_admin"), token=admin.token
    )

    # then
    assert payload_codes(payload) == ["OWN_ROLE"]
    assert await _role_of(membership.membership_id) == "member"


async def test_member_manager_grants_only_roles_within_their_own_permissions(gql, make):
    # given: a custom role that may manage members, and no more
    tenant = await make.tenant("Careful Delegation")
    manager_role = await make.custom_role(["org:read", "member:read", "member:manage"])
    narrow_role = await make.custom_role(["org:read"])
    reader_role = await make.custom_role(["org:read", "member:read"])
    manager = await make.member(tenant, manager_role.key)
    other = await make.member(tenant, narrow_role.key)

    # when
    refused = await gql.payload(
        MEMBER_UPDATE_ROLE, _input(other.membership_id, "org_admin"), token=manager.token
    )
    granted = await gql.payload(
        MEMBER_UPDATE_ROLE, _input(other.membership_id, reader_role.key), token=manager.token
    )

    # then
    assert refused["membership"] is None
    assert [(e["field"], e["code"]) for e in refused["errors"]] == [("role", "ROLE_NOT_GRANTABLE")]
    assert granted["errors"] == []
    assert await _role_of(other.membership_id) == reader_role.key


async def test_member_cannot_change_roles(gql, make):
    # given
    tenant = await make.tenant("No Self Promotion")
    member = await make.member(tenant, "member")
    membership_id = member.membership_id

    # when
    body = await gql.execute(
        MEMBER_UPDATE_ROLE, _input(membership_id, "org_admin"), token=member.token
    )

    # then
    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN"]
    assert await _role_of(membership_id) == "member"


# Nobody changes their own role, so "both at once" comes from a platform admin.
@pytest.mark.parametrize("issuers", ["each_demotes_the_other", "a_platform_admin_demotes_both"])
async def test_concurrent_demotions_keep_an_admin(gql, make, issuers):
    # given: exactly two admins
    tenant = await make.tenant("Race")
    first = tenant.owner
    second = await make.member(tenant, "org_admin")
    first_membership = await owner_membership_id(tenant)
    second_membership = second.membership_id
    assert await _admin_count(tenant) == 2
    if issuers == "each_demotes_the_other":
        demote_second_by, demote_first_by = first, second
    else:
        demote_second_by = demote_first_by = await make.platform_admin()

    # when: both admins are demoted at the same time
    bodies = await asyncio.gather(
        gql.execute(
            MEMBER_UPDATE_ROLE, _input(second_membership, "member"), token=demote_second_by.token
        ),
        gql.execute(
            MEMBER_UPDATE_ROLE, _input(first_membership, "member"), token=demote_first_by.token
        ),
    )

    # then: exactly one demotion went through; the other was refused
    assert await _admin_count(tenant) == 1
    succeeded = [
        body
        for body in bodies
        if "errors" not in body and body["data"]["memberUpdateRole"]["errors"] == []
    ]
    assert len(succeeded) == 1, bodies
    for body in bodies:
        if body in succeeded:
            continue
        refusal = error_codes(body) or payload_codes(body["data"]["memberUpdateRole"])
        assert refusal in (["LAST_ADMIN"], ["FORBIDDEN"]), body
