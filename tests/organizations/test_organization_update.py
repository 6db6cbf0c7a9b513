"""organizationUpdate: org_admins change details; omitted fields stay; others are refused."""

from __future__ import annotations

from orm.models import Organization
from tests.support.graphql import error_codes
from tests.support.ids import fake_global_id
from tests.support.operations import ORGANIZATION_UPDATE


async def test_admin_changes_every_field(gql, make):
    # given
    tenant = await make.tenant("Old Name")
    organization_id = tenant.organization_id
    slug = "new-slug"

    # when
    payload = await gql.payload(
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
        token=tenant.token,
    )

    # then
    assert payload["errors"] == []
    assert payload["organization"] == {
        "id": organization_id,
        "name": "New Name",
        "slug": slug,
        "description": "We fix teeth.",
        "website": "https://dental.example.com",
        "businessDetails": {"hours": "9-5", "city": "Lisbon"},
    }
    row = await Organization.get(id=tenant.organization_uuid)
    assert (row.name, row.slug, row.description, row.website) == (
        "New Name",
        slug,
        "We fix teeth.",
        "https://dental.example.com",
    )
    assert row.business_details == {"hours": "9-5", "city": "Lisbon"}


async def test_omitted_fields_stay(gql, make):
    # given
    tenant = await make.tenant("Keeps Its Name")
    organization_id = tenant.organization_id
    await gql.ok(
        ORGANIZATION_UPDATE,
        {
            "input": {
                "id": organization_id,
                "website": "https://keep.example.com",
                "businessDetails": {"a": 1},
            }
        },
        token=tenant.token,
    )
    before = await Organization.get(id=tenant.organization_uuid)

    # when
    payload = await gql.payload(
        ORGANIZATION_UPDATE,
        {"input": {"id": organization_id, "description": "Only this changes."}},
        token=tenant.token,
    )

    # then
    assert payload["errors"] == []
    organization = payload["organization"]
    assert organization["name"] == "Keeps Its Name"
    assert organization["slug"] == before.slug
    assert organization["website"] == "https://keep.example.com"
    assert organization["businessDetails"] == {"a": 1}
    assert organization["description"] == "Only this changes."


async def test_invalid_website(gql, make):
    # given
    tenant = await make.tenant("Webless")

    # when
    payload = await gql.payload(
        ORGANIZATION_UPDATE,
        {"input": {"id": tenant.organization_id, "website": "javascript:alert(1)"}},
        token=tenant.token,
    )

    # then
    assert payload["organization"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("website", "INVALID_WEBSITE")]
    assert (await Organization.get(id=tenant.organization_uuid)).website == ""


async def test_member_is_forbidden(gql, make):
    # given
    tenant = await make.tenant("Admins Only")
    member = await make.member(tenant, "member")

    # when
    body = await gql.execute(
        ORGANIZATION_UPDATE,
        {"input": {"id": tenant.organization_id, "name": "Hijacked"}},
        token=member.token,
    )

    # then
    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN"]
    assert (await Organization.get(id=tenant.organization_uuid)).name == "Admins Only"


async def test_non_member_gets_not_found(gql, make):
    # given
    tenant = await make.tenant("Private")
    stranger = await make.account()

    # when
    body = await gql.execute(
        ORGANIZATION_UPDATE,
        {"input": {"id": tenant.organization_id, "name": "Hijacked"}},
        token=stranger.token,
    )

    # then
    assert body["data"] is None
    assert error_codes(body) == ["NOT_FOUND"]
    assert (await Organization.get(id=tenant.organization_uuid)).name == "Private"


async def test_garbage_id_gets_not_found(gql, make):
    # given
    admin = (await make.tenant("Someone's")).owner

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


async def test_null_clears_the_details_and_keeps_name_and_slug(gql, make):
    # given
    tenant = await make.tenant("Nulls Inc")
    organization_id = tenant.organization_id
    details = {
        "description": "We fix teeth.",
        "website": "https://nulls.example.com",
        "businessDetails": {"city": "Porto"},
    }
    await gql.ok(
        ORGANIZATION_UPDATE, {"input": {"id": organization_id, **details}}, token=tenant.token
    )
    before = await Organization.get(id=tenant.organization_uuid)

    # when
    payload = await gql.payload(
        ORGANIZATION_UPDATE,
        {
            "input": {
                "id": organization_id,
                "name": None,
                "slug": None,
                "description": None,
                "website": None,
                "businessDetails": None,
            }
        },
        token=tenant.token,
    )

    # then
    assert payload["errors"] == []
    assert payload["organization"] == {
        "id": organization_id,
        "name": "Nulls Inc",
        "slug": before.slug,
        "description": "",
        "website": "",
        "businessDetails": {},
    }


async def test_business_details_must_be_an_object(gql, make):
    # given
    tenant = await make.tenant("Listed")

    # when
    payload = await gql.payload(
        ORGANIZATION_UPDATE,
        {"input": {"id": tenant.organization_id, "businessDetails": ["not", "an", "object"]}},
        token=tenant.token,
    )

    # then
    assert payload["organization"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("businessDetails", "INVALID_BUSINESS_DETAILS")
    ]
    row = await Organization.get(id=tenant.organization_uuid)
    assert row.business_details == {}
