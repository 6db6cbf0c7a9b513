"""organizations (mine) and organization(id) with its members."""

from __future__ import annotations

from tests.support.operations import ORGANIZATIONS

ORGANIZATION_WITH_MEMBERS = """
query Organization($id: ID!) {
  organization(id: $id) {
    id
    name
    members { user { email } role { key } }
  }
}
"""


async def test_lists_only_my_organizations(gql, make):
    # given
    me = await make.account(verified=True)
    mine_b = await make.tenant("Mine B", owner=me)
    mine_a = await make.tenant("Mine A", owner=me)
    await make.tenant("Not Mine")

    # when
    data = await gql.data(ORGANIZATIONS, token=me.token)

    # then
    assert data["organizations"] == [
        {"id": mine_a.organization_id, "name": "Mine A"},
        {"id": mine_b.organization_id, "name": "Mine B"},
    ]


async def test_includes_organizations_joined_as_a_member(gql, make):
    # given
    tenant = await make.tenant("Joined")
    member = await make.member(tenant, "member")

    # when
    data = await gql.data(ORGANIZATIONS, token=member.token)

    # then
    assert data["organizations"] == [{"id": tenant.organization_id, "name": "Joined"}]


async def test_organization_with_members(gql, make):
    # given
    tenant = await make.tenant("With Members")
    member = await make.member(tenant, "member")
    billing = await make.member(tenant, "billing")

    # when
    data = await gql.data(
        ORGANIZATION_WITH_MEMBERS, {"id": tenant.organization_id}, token=member.token
    )

    # then
    organization = data["organization"]
    assert organization["id"] == tenant.organization_id
    assert organization["name"] == "With Members"
    assert sorted(
        (m["user"]["email"], m["role"]["key"]) for m in organization["members"]
    ) == sorted(
        [(tenant.owner.email, "org_admin"), (member.email, "member"), (billing.email, "billing")]
    )
