"""organizationCreate: the creator becomes org_admin; slugs are derived, validated and unique."""

from __future__ import annotations

import uuid

from tests.conftest import ORGANIZATION_CREATE, sign_up
from tests.organizations.helpers import create_api_key, error_codes

ORGANIZATION_CREATE_WITH_SLUG = """
mutation OrganizationCreate($input: OrganizationCreateInput!) {
  organizationCreate(input: $input) {
    organization { id name slug viewerRole { key } viewerPermissions }
    errors { field message code }
  }
}
"""

ME_MEMBERSHIPS = """
query Me {
  me { memberships { organization { id } role { key } } }
}
"""

ORGANIZATION_VIEWER = """
query Organization($id: ID!) {
  organization(id: $id) { id name viewerRole { key } viewerPermissions }
}
"""


async def test_creator_becomes_org_admin(gql):
    # given
    account = await sign_up(gql)

    # when
    data = await gql.data(
        ORGANIZATION_CREATE_WITH_SLUG, {"input": {"name": "Bright Dental"}}, token=account.token
    )

    # then
    payload = data["organizationCreate"]
    assert payload["errors"] == []
    organization = payload["organization"]
    assert organization["name"] == "Bright Dental"
    assert organization["viewerRole"] == {"key": "org_admin"}
    me = await gql.data(ME_MEMBERSHIPS, token=account.token)
    assert me["me"]["memberships"] == [
        {"organization": {"id": organization["id"]}, "role": {"key": "org_admin"}}
    ]
    viewer = await gql.data(ORGANIZATION_VIEWER, {"id": organization["id"]}, token=account.token)
    assert viewer["organization"]["viewerRole"] == {"key": "org_admin"}
    permissions = viewer["organization"]["viewerPermissions"]
    assert {"org:manage", "member:manage", "api_key:manage", "agent:create"} <= set(permissions)
    assert "platform:manage" not in permissions


async def test_slug_is_derived_from_the_name_and_unique(gql):
    # given
    account = await sign_up(gql)
    name = f"Sunny Side Clinic {uuid.uuid4().hex[:6]}"

    # when
    first = await gql.data(ORGANIZATION_CREATE, {"input": {"name": name}}, token=account.token)
    second = await gql.data(ORGANIZATION_CREATE, {"input": {"name": name}}, token=account.token)

    # then
    first_slug = first["organizationCreate"]["organization"]["slug"]
    second_slug = second["organizationCreate"]["organization"]["slug"]
    assert first["organizationCreate"]["errors"] == []
    assert second["organizationCreate"]["errors"] == []
    assert first_slug == name.lower().replace(" ", "-")
    assert second_slug != first_slug
    assert second_slug.startswith("sunny-side-clinic-")


async def test_explicit_slug_is_used(gql):
    # given
    account = await sign_up(gql)
    slug = f"acme-{uuid.uuid4().hex[:8]}"

    # when
    data = await gql.data(
        ORGANIZATION_CREATE, {"input": {"name": "Acme", "slug": slug}}, token=account.token
    )

    # then
    assert data["organizationCreate"]["errors"] == []
    assert data["organizationCreate"]["organization"]["slug"] == slug


async def test_invalid_slug(gql):
    # given
    account = await sign_up(gql)

    # when
    data = await gql.data(
        ORGANIZATION_CREATE,
        {"input": {"name": "Acme", "slug": "Not a slug!"}},
        token=account.token,
    )

    # then
    payload = data["organizationCreate"]
    assert payload["organization"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("slug", "INVALID_SLUG")]


async def test_taken_slug(gql):
    # given
    owner = await sign_up(gql)
    other = await sign_up(gql)
    slug = f"taken-{uuid.uuid4().hex[:8]}"
    await gql.data(ORGANIZATION_CREATE, {"input": {"name": "One", "slug": slug}}, token=owner.token)

    # when
    data = await gql.data(
        ORGANIZATION_CREATE, {"input": {"name": "Two", "slug": slug}}, token=other.token
    )

    # then
    payload = data["organizationCreate"]
    assert payload["organization"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("slug", "SLUG_TAKEN")]
    me = await gql.data(ME_MEMBERSHIPS, token=other.token)
    assert me["me"]["memberships"] == []


async def test_empty_name(gql):
    # given
    account = await sign_up(gql)

    # when
    data = await gql.data(ORGANIZATION_CREATE, {"input": {"name": "   "}}, token=account.token)

    # then
    payload = data["organizationCreate"]
    assert payload["organization"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("name", "INVALID_NAME")]


async def test_api_key_cannot_create_organizations(gql):
    # given
    admin = await sign_up(gql)
    data = await gql.data(ORGANIZATION_CREATE, {"input": {"name": "Keyed"}}, token=admin.token)
    organization_id = data["organizationCreate"]["organization"]["id"]
    _, key = await create_api_key(gql, admin, organization_id, role="org_admin")

    # when
    body = await gql.execute(ORGANIZATION_CREATE, {"input": {"name": "By key"}}, token=key)

    # then
    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN"]


async def test_anonymous_is_unauthenticated(gql):
    # when
    body = await gql.execute(ORGANIZATION_CREATE, {"input": {"name": "Nobody's"}})

    # then
    assert body["data"] is None
    assert error_codes(body) == ["UNAUTHENTICATED"]
