"""organizationCreate: the creator becomes org_admin; slugs are derived, validated and unique."""

from __future__ import annotations

from tests.support.graphql import error_codes
from tests.support.operations import ME, ORGANIZATION, ORGANIZATION_CREATE

ORGANIZATION_CREATE_WITH_VIEWER = """
mutation OrganizationCreate($input: OrganizationCreateInput!) {
  organizationCreate(input: $input) {
    organization { id name slug viewerRole { key } viewerPermissions }
    errors { field message code }
  }
}
"""


async def _memberships(gql, account) -> list[tuple[str, str]]:
    """(organization id, role key) of each of the account's memberships."""
    me = await gql.data(ME, token=account.token)
    return [(m["organization"]["id"], m["role"]["key"]) for m in me["me"]["memberships"]]


async def test_creator_becomes_org_admin(gql, make):
    # given
    account = await make.account()

    # when
    payload = await gql.payload(
        ORGANIZATION_CREATE_WITH_VIEWER, {"input": {"name": "Bright Dental"}}, token=account.token
    )

    # then
    assert payload["errors"] == []
    organization = payload["organization"]
    assert organization["name"] == "Bright Dental"
    assert organization["viewerRole"] == {"key": "org_admin"}
    assert await _memberships(gql, account) == [(organization["id"], "org_admin")]
    viewer = await gql.data(ORGANIZATION, {"id": organization["id"]}, token=account.token)
    assert viewer["organization"]["viewerRole"] == {"key": "org_admin"}
    permissions = viewer["organization"]["viewerPermissions"]
    assert {"org:manage", "member:manage", "api_key:manage", "agent:create"} <= set(permissions)
    assert "platform:manage" not in permissions


async def test_slug_is_derived_from_the_name_and_unique(gql, make):
    # given: someone with a verified email (others may create only one organization)
    account = await make.account(verified=True)
    name = "Sunny Side Clinic"

    # when
    first = await gql.payload(ORGANIZATION_CREATE, {"input": {"name": name}}, token=account.token)
    second = await gql.payload(ORGANIZATION_CREATE, {"input": {"name": name}}, token=account.token)

    # then
    assert first["errors"] == []
    assert second["errors"] == []
    first_slug = first["organization"]["slug"]
    second_slug = second["organization"]["slug"]
    assert first_slug == "sunny-side-clinic"
    assert second_slug != first_slug
    assert second_slug.startswith("sunny-side-clinic-")


async def test_explicit_slug_is_used(gql, make):
    # given
    account = await make.account()

    # when
    payload = await gql.payload(
        ORGANIZATION_CREATE,
        {"input": {"name": "Acme", "slug": "acme-explicit"}},
        token=account.token,
    )

    # then
    assert payload["errors"] == []
    assert payload["organization"]["slug"] == "acme-explicit"


async def test_invalid_slug(gql, make):
    # given
    account = await make.account()

    # when
    payload = await gql.payload(
        ORGANIZATION_CREATE,
        {"input": {"name": "Acme", "slug": "Not a slug!"}},
        token=account.token,
    )

    # then
    assert payload["organization"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("slug", "INVALID_SLUG")]


async def test_taken_slug(gql, make):
    # given
    owner = await make.account()
    other = await make.account()
    taken = await gql.payload(
        ORGANIZATION_CREATE, {"input": {"name": "One", "slug": "taken"}}, token=owner.token
    )
    assert taken["errors"] == []

    # when
    payload = await gql.payload(
        ORGANIZATION_CREATE, {"input": {"name": "Two", "slug": "taken"}}, token=other.token
    )

    # then
    assert payload["organization"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("slug", "SLUG_TAKEN")]
    assert await _memberships(gql, other) == []


async def test_empty_name(gql, make):
    # given
    account = await make.account()

    # when
    payload = await gql.payload(
        ORGANIZATION_CREATE, {"input": {"name": "   "}}, token=account.token
    )

    # then
    assert payload["organization"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("name", "INVALID_NAME")]


async def test_api_key_cannot_create_organizations(gql, make):
    # given
    tenant = await make.tenant("Keyed")
    api_key = await make.api_key(tenant, "org_admin")

    # when
    body = await gql.execute(ORGANIZATION_CREATE, {"input": {"name": "By key"}}, token=api_key.key)

    # then
    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN"]


async def test_anonymous_is_unauthenticated(gql):
    # when
    body = await gql.execute(ORGANIZATION_CREATE, {"input": {"name": "Nobody's"}})

    # then
    assert body["data"] is None
    assert error_codes(body) == ["UNAUTHENTICATED"]
