"""organizationUpdate: org_admins change details; omitted fields stay; others are refused."""

from __future__ import annotations

import uuid

from orm.models import Organization
from tests.conftest import create_organization, sign_up
from tests.organizations.helpers import add_member, error_codes, fake_global_id, uuid_of

ORGANIZATION_UPDATE = """
mutation OrganizationUpdate($input: OrganizationUpdateInput!) {
  organizationUpdate(input: $input) {
    organization { id name slug description website businessDetails }
    errors { field message code }
  }
}
"""


async def test_admin_changes_every_field(gql):
    # given
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "Old Name")
    slug = f"new-slug-{uuid.uuid4().hex[:8]}"

    # when
    data = await gql.data(
        ORGANIZATION_UPDATE,
        {
            "input": {
                "id": organization_id,
                "name": "New Name",
                "slug": slug,
                "description": "We fix teeth.",
                "website": "https://dental.example.com",
                "businessDetails": {"hours": "9-5", "city": "Lisbon"},
            }
        },
        token=admin.token,
    )

    # then
    payload = data["organizationUpdate"]
    assert payload["errors"] == []
    assert payload["organization"] == {
        "id": organization_id,
        "name": "New Name",
        "slug": slug,
        "description": "We fix teeth.",
        "website": "https://dental.example.com",
        "businessDetails": {"hours": "9-5", "city": "Lisbon"},
    }
    row = await Organization.get(id=uuid_of(organization_id))
    assert (row.name, row.slug, row.description, row.website) == (
        "New Name",
        slug,
        "We fix teeth.",
        "https://dental.example.com",
    )
    assert row.business_details == {"hours": "9-5", "city": "Lisbon"}


async def test_omitted_fields_stay(gql):
    # given
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "Keeps Its Name")
    await gql.data(
        ORGANIZATION_UPDATE,
        {
            "input": {
                "id": organization_id,
                "website": "https://keep.example.com",
                "businessDetails": {"a": 1},
            }
        },
        token=admin.token,
    )
    before = await Organization.get(id=uuid_of(organization_id))

    # when
    data = await gql.data(
        ORGANIZATION_UPDATE,
        {"input": {"id": organization_id, "description": "Only this changes."}},
        token=admin.token,
    )

    # then
    organization = data["organizationUpdate"]["organization"]
    assert organization["name"] == "Keeps Its Name"
    assert organization["slug"] == before.slug
    assert organization["website"] == "https://keep.example.com"
    assert organization["businessDetails"] == {"a": 1}
    assert organization["description"] == "Only this changes."


async def test_invalid_website(gql):
    # given
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "Webless")

    # when
    data = await gql.data(
        ORGANIZATION_UPDATE,
        {"input": {"id": organization_id, "website": "javascript:alert(1)"}},
        token=admin.token,
    )

    # then
    payload = data["organizationUpdate"]
    assert payload["organization"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("website", "INVALID_WEBSITE")]
    assert (await Organization.get(id=uuid_of(organization_id))).website == ""


async def test_member_is_forbidden(gql):
    # given
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "Admins Only")
    member, _ = await add_member(gql, admin, organization_id, "member")

    # when
    body = await gql.execute(
        ORGANIZATION_UPDATE,
        {"input": {"id": organization_id, "name": "Hijacked"}},
        token=member.token,
    )

    # then
    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN"]
    assert (await Organization.get(id=uuid_of(organization_id))).name == "Admins Only"


async def test_non_member_gets_not_found(gql):
    # given
    admin = await sign_up(gql)
    stranger = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "Private")

    # when
    body = await gql.execute(
        ORGANIZATION_UPDATE,
        {"input": {"id": organization_id, "name": "Hijacked"}},
        token=stranger.token,
    )

    # then
    assert body["data"] is None
    assert error_codes(body) == ["NOT_FOUND"]
    assert (await Organization.get(id=uuid_of(organization_id))).name == "Private"


async def test_garbage_id_gets_not_found(gql):
    # given
    admin = await sign_up(gql)

    # when
    garbage = await gql.execute(
        ORGANIZATION_UPDATE, {"input": {"id": "not-an-id", "name": "X"}}, token=admin.token
    )
    missing = await gql.execute(
        ORGANIZATION_UPDATE,
        {"input": {"id": fake_global_id("Organization"), "name": "X"}},
        token=admin.token,
    )

    # then
    assert error_codes(garbage) == ["NOT_FOUND"]
    assert error_codes(missing) == ["NOT_FOUND"]
