"""memberRemove: removed members lose access; the last admin stays."""

from __future__ import annotations

from orm.models import Membership
from tests.conftest import create_organization, sign_up
from tests.organizations.helpers import add_member, error_codes, membership_id_of, uuid_of

MEMBER_REMOVE = """
mutation MemberRemove($input: MemberRemoveInput!) {
  memberRemove(input: $input) {
    membership { id user { email } }
    errors { field message code }
  }
}
"""

ORGANIZATION = """
query Organization($id: ID!) {
  organization(id: $id) { id name }
}
"""


async def test_removed_member_loses_access(gql):
    # given
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "Leaving")
    member, membership_id = await add_member(gql, admin, organization_id, "member")
    assert "errors" not in await gql.execute(
        ORGANIZATION, {"id": organization_id}, token=member.token
    )

    # when
    data = await gql.data(
        MEMBER_REMOVE, {"input": {"membershipId": membership_id}}, token=admin.token
    )

    # then
    payload = data["memberRemove"]
    assert payload["errors"] == []
    assert payload["membership"] == {"id": membership_id, "user": {"email": member.email}}
    assert not await Membership.exists(id=uuid_of(membership_id))
    body = await gql.execute(ORGANIZATION, {"id": organization_id}, token=member.token)
    assert body["data"] is None
    assert error_codes(body) == ["NOT_FOUND"]


async def test_last_admin_cannot_be_removed(gql):
    # given
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "Kept Admin")
    await add_member(gql, admin, organization_id, "member")
    membership_id = await membership_id_of(gql, admin, organization_id, admin.email)

    # when
    data = await gql.data(
        MEMBER_REMOVE, {"input": {"membershipId": membership_id}}, token=admin.token
    )

    # then
    payload = data["memberRemove"]
    assert payload["membership"] is None
    assert [e["code"] for e in payload["errors"]] == ["LAST_ADMIN"]
    assert await Membership.exists(id=uuid_of(membership_id))


async def test_one_of_two_admins_can_be_removed(gql):
    # given
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "Co-admins")
    _, other_admin_membership = await add_member(gql, admin, organization_id, "org_admin")

    # when
    data = await gql.data(
        MEMBER_REMOVE, {"input": {"membershipId": other_admin_membership}}, token=admin.token
    )

    # then
    assert data["memberRemove"]["errors"] == []
    assert not await Membership.exists(id=uuid_of(other_admin_membership))


async def test_membership_of_another_organization_is_not_found(gql):
    # given
    admin = await sign_up(gql)
    other_admin = await sign_up(gql)
    await create_organization(gql, admin, "Mine")
    other_organization = await create_organization(gql, other_admin, "Theirs")
    _, other_membership = await add_member(gql, other_admin, other_organization, "member")

    # when
    body = await gql.execute(
        MEMBER_REMOVE, {"input": {"membershipId": other_membership}}, token=admin.token
    )

    # then
    assert body["data"] is None
    assert error_codes(body) == ["NOT_FOUND"]
    assert await Membership.exists(id=uuid_of(other_membership))


async def test_member_cannot_remove_others(gql):
    # given
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "No Kicking")
    member, _ = await add_member(gql, admin, organization_id, "member")
    admin_membership = await membership_id_of(gql, admin, organization_id, admin.email)

    # when
    body = await gql.execute(
        MEMBER_REMOVE, {"input": {"membershipId": admin_membership}}, token=member.token
    )

    # then
    assert error_codes(body) == ["FORBIDDEN"]
    assert await Membership.exists(id=uuid_of(admin_membership))
