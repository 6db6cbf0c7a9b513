"""memberUpdateRole: roles change, but an organization never loses its last admin."""

from __future__ import annotations

import asyncio

import pytest

from orm.models import Membership
from tests.conftest import create_organization, sign_up
from tests.organizations.helpers import add_member, error_codes, membership_id_of, uuid_of

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


async def _admin_count(organization_id: str) -> int:
    return await Membership.filter(
        organization_id=uuid_of(organization_id), role__key="org_admin"
    ).count()


async def _role_of(membership_id: str) -> str:
    membership = await Membership.get(id=uuid_of(membership_id)).select_related("role")
    return membership.role.key


async def test_admin_changes_a_members_role(gql):
    # given
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "Promotions")
    member, membership_id = await add_member(gql, admin, organization_id, "member")

    # when
    data = await gql.data(MEMBER_UPDATE_ROLE, _input(membership_id, "billing"), token=admin.token)

    # then
    payload = data["memberUpdateRole"]
    assert payload["errors"] == []
    assert payload["membership"] == {
        "id": membership_id,
        "role": {"key": "billing"},
        "user": {"email": member.email},
    }
    assert await _role_of(membership_id) == "billing"


async def test_last_admin_cannot_be_demoted(gql):
    # given
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "Lonely Admin")
    membership_id = await membership_id_of(gql, admin, organization_id, admin.email)

    # when
    data = await gql.data(MEMBER_UPDATE_ROLE, _input(membership_id, "member"), token=admin.token)

    # then
    payload = data["memberUpdateRole"]
    assert payload["membership"] is None
    assert [e["code"] for e in payload["errors"]] == ["LAST_ADMIN"]
    assert await _role_of(membership_id) == "org_admin"


async def test_one_of_two_admins_can_be_demoted(gql):
    # given
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "Two Admins")
    _, second_admin_membership = await add_member(gql, admin, organization_id, "org_admin")

    # when
    data = await gql.data(
        MEMBER_UPDATE_ROLE, _input(second_admin_membership, "member"), token=admin.token
    )

    # then
    assert data["memberUpdateRole"]["errors"] == []
    assert data["memberUpdateRole"]["membership"]["role"] == {"key": "member"}
    assert await _admin_count(organization_id) == 1


async def test_invalid_role(gql):
    # given
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "Bad Roles")
    _, membership_id = await add_member(gql, admin, organization_id, "member")

    for role in ("nope", "platform_admin"):
        # when
        data = await gql.data(MEMBER_UPDATE_ROLE, _input(membership_id, role), token=admin.token)

        # then
        assert [e["code"] for e in data["memberUpdateRole"]["errors"]] == ["INVALID_ROLE"]
        assert await _role_of(membership_id) == "member"


async def test_membership_of_another_organization_is_not_found(gql):
    # given
    admin = await sign_up(gql)
    other_admin = await sign_up(gql)
    await create_organization(gql, admin, "Mine")
    other_organization = await create_organization(gql, other_admin, "Theirs")
    other_membership = await membership_id_of(
        gql, other_admin, other_organization, other_admin.email
    )

    # when
    body = await gql.execute(
        MEMBER_UPDATE_ROLE, _input(other_membership, "member"), token=admin.token
    )

    # then
    assert body["data"] is None
    assert error_codes(body) == ["NOT_FOUND"]
    assert await _role_of(other_membership) == "org_admin"


async def test_member_cannot_change_roles(gql):
    # given
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "No Self Promotion")
    member, membership_id = await add_member(gql, admin, organization_id, "member")

    # when
    body = await gql.execute(
        MEMBER_UPDATE_ROLE, _input(membership_id, "org_admin"), token=member.token
    )

    # then
    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN"]
    assert await _role_of(membership_id) == "member"


@pytest.mark.parametrize("issuers", ["each_demotes_the_other", "one_admin_demotes_both"])
async def test_concurrent_demotions_keep_an_admin(gql, issuers):
    # given: exactly two admins
    first = await sign_up(gql)
    organization_id = await create_organization(gql, first, "Race")
    second, second_membership = await add_member(gql, first, organization_id, "org_admin")
    first_membership = await membership_id_of(gql, first, organization_id, first.email)
    assert await _admin_count(organization_id) == 2
    demote_second_by = first
    demote_first_by = second if issuers == "each_demotes_the_other" else first

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
    assert await _admin_count(organization_id) == 1
    succeeded = [
        body
        for body in bodies
        if "errors" not in body and body["data"]["memberUpdateRole"]["errors"] == []
    ]
    assert len(succeeded) == 1, bodies
    for body in bodies:
        if body in succeeded:
            continue
        refusal = error_codes(body) or [
            e["code"] for e in body["data"]["memberUpdateRole"]["errors"]
        ]
        assert refusal in (["LAST_ADMIN"], ["FORBIDDEN"]), body
