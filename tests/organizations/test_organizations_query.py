"""organizations (mine) and organization(id) with its members."""

from __future__ import annotations

from tests.conftest import create_organization, sign_up
from tests.organizations.helpers import add_member

ORGANIZATIONS = """
query Organizations {
  organizations { id name }
}
"""

ORGANIZATION = """
query Organization($id: ID!) {
  organization(id: $id) {
    id
    name
    members { user { email } role { key } }
  }
}
"""


async def test_lists_only_my_organizations(gql):
    # given
    me = await sign_up(gql)
    someone_else = await sign_up(gql)
    mine_b = await create_organization(gql, me, "Mine B")
    mine_a = await create_organization(gql, me, "Mine A")
    await create_organization(gql, someone_else, "Not Mine")

    # when
    data = await gql.data(ORGANIZATIONS, token=me.token)

    # then
    assert data["organizations"] == [
        {"id": mine_a, "name": "Mine A"},
        {"id": mine_b, "name": "Mine B"},
    ]


async def test_includes_organizations_joined_by_invitation(gql):
    # given
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "Joined")
    member, _ = await add_member(gql, admin, organization_id, "member")

    # when
    data = await gql.data(ORGANIZATIONS, token=member.token)

    # then
    assert data["organizations"] == [{"id": organization_id, "name": "Joined"}]


async def test_organization_with_members(gql):
    # given
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "With Members")
    member, _ = await add_member(gql, admin, organization_id, "member")
    billing, _ = await add_member(gql, admin, organization_id, "billing")

    # when
    data = await gql.data(ORGANIZATION, {"id": organization_id}, token=member.token)

    # then
    organization = data["organization"]
    assert organization["id"] == organization_id
    assert organization["name"] == "With Members"
    assert sorted(
        (m["user"]["email"], m["role"]["key"]) for m in organization["members"]
    ) == sorted([(admin.email, "org_admin"), (member.email, "member"), (billing.email, "billing")])
