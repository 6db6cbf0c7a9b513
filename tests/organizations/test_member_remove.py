"""memberRemove: removed members lose access; the last admin stays."""

from __future__ import annotations

from orm.models import Membership
from tests.organizations.helpers import owner_membership_id
from tests.support.graphql import error_codes
from tests.support.ids import uuid_of
from tests.support.operations import MEMBER_REMOVE, ORGANIZATION


def _input(membership_id: str) -> dict:
    return {"input": {"membershipId": membership_id}}


async def test_removed_member_loses_access(gql, make):
    # given
    tenant = await make.tenant("Leaving")
    member = await make.member(tenant, "member")
    assert "errors" not in await gql.execute(
        ORGANIZATION, {"id": tenant.organization_id}, token=member.token
    )

    # when
    payload = await gql.payload(MEMBER_REMOVE, _input(member.membership_id), token=tenant.token)

    # then
    assert payload["errors"] == []
    assert payload["membership"] == {"id": member.membership_id, "user": {"email": member.email}}
    assert not await Membership.exists(id=member.membership.id)
    body = await gql.execute(ORGANIZATION, {"id": tenant.organization_id}, token=member.token)
    assert body["data"] == {"organization": None}
    assert error_codes(body) == ["NOT_FOUND"]


async def test_last_admin_cannot_be_removed(gql, make):
    # given
    tenant = await make.tenant("Kept Admin")
    await make.member(tenant, "member")
    membership_id = await owner_membership_id(tenant)

    # when
    payload = await gql.payload(MEMBER_REMOVE, _input(membership_id), token=tenant.token)

    # then
    assert payload["membership"] is None
    assert [e["code"] for e in payload["errors"]] == ["LAST_ADMIN"]
    assert await Membership.exists(id=uuid_of(membership_id))


async def test_one_of_two_admins_can_be_removed(gql, make):
    # given
    tenant = await make.tenant("Co-admins")
    other_admin = await make.member(tenant, "org_admin")

    # when
    payload = await gql.payload(
        MEMBER_REMOVE, _input(other_admin.membership_id), token=tenant.token
    )

    # then
    assert payload["errors"] == []
    assert not await Membership.exists(id=other_admin.membership.id)


async def test_membership_of_another_organization_is_not_found(gql, make):
    # given
    mine = await make.tenant("Mine")
    theirs = await make.tenant("Theirs")
    their_member = await make.member(theirs, "member")

    # when
    body = await gql.execute(MEMBER_REMOVE, _input(their_member.membership_id), token=mine.token)

    # then
    assert body["data"] is None
    assert error_codes(body) == ["NOT_FOUND"]
    assert await Membership.exists(id=their_member.membership.id)


async def test_member_cannot_remove_others(gql, make):
    # given
    tenant = await make.tenant("No Kicking")
    member = await make.member(tenant, "member")
    admin_membership = await owner_membership_id(tenant)

    # when
    body = await gql.execute(MEMBER_REMOVE, _input(admin_membership), token=member.token)

    # then
    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN"]
    assert await Membership.exists(id=uuid_of(admin_membership))
