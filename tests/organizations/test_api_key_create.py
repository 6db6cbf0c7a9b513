"""apiKeyCreate and apiKeys: the plain key is shown once and stored only as a hash."""

from __future__ import annotations

from orm.models import ApiKey
from tests.support.graphql import error_codes
from tests.support.ids import uuid_of
from tests.support.operations import API_KEY_CREATE, API_KEYS

ORGANIZATION_API_KEYS = """
query OrganizationApiKeys($id: ID!) {
  organization(id: $id) { apiKeys { id name prefix } }
}
"""


def _input(organization_id: str, role: str = "member", name: str = "CRM sync") -> dict:
    return {"input": {"organizationId": organization_id, "name": name, "role": role}}


async def test_key_is_returned_once_and_stored_hashed(gql, make):
    # given
    tenant = await make.tenant("Keys Org")

    # when
    payload = await gql.payload(API_KEY_CREATE, _input(tenant.organization_id), token=tenant.token)

    # then
    assert payload["errors"] == []
    key = payload["key"]
    api_key = payload["apiKey"]
    assert key.startswith("vak_")
    assert key.startswith(f"vak_{api_key['prefix']}_")
    assert api_key["name"] == "CRM sync"
    assert api_key["role"] == {"key": "member"}
    assert api_key["revokedAt"] is None

    row = await ApiKey.get(id=uuid_of(api_key["id"]))
    assert row.key_hash != key
    stored = await ApiKey.filter(id=row.id).values()
    assert len(stored) == 1
    assert all(key not in str(value) for value in stored[0].values())
    secret = key.split("_", 2)[2]
    assert all(secret not in str(value) for value in stored[0].values())


async def test_listing_never_shows_the_key(gql, make):
    # given
    tenant = await make.tenant("Listed Keys")
    api_key = await make.api_key(tenant)
    key = api_key.key
    secret = key.split("_", 2)[2]

    # when
    listed = await gql.raw(API_KEYS, {"organizationId": tenant.organization_id}, token=tenant.token)
    nested = await gql.raw(
        ORGANIZATION_API_KEYS, {"id": tenant.organization_id}, token=tenant.token
    )

    # then
    assert listed.status_code == nested.status_code == 200
    assert [k["id"] for k in listed.json()["data"]["apiKeys"]] == [api_key.id]
    assert [k["id"] for k in nested.json()["data"]["organization"]["apiKeys"]] == [api_key.id]
    for response in (listed, nested):
        assert key not in response.text
        assert secret not in response.text


async def test_invalid_role(gql, make):
    # given
    tenant = await make.tenant("Bad Key Roles")

    for role in ("nope", "platform_admin"):
        # when
        payload = await gql.payload(
            API_KEY_CREATE, _input(tenant.organization_id, role), token=tenant.token
        )

        # then
        assert payload["key"] is None
        assert [(e["field"], e["code"]) for e in payload["errors"]] == [("role", "INVALID_ROLE")]
    assert not await ApiKey.exists(organization_id=tenant.organization_uuid)


async def test_member_cannot_create_keys(gql, make):
    # given
    tenant = await make.tenant("Member Keys")
    member = await make.member(tenant, "member")

    # when
    body = await gql.execute(API_KEY_CREATE, _input(tenant.organization_id), token=member.token)

    # then
    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN"]
    assert not await ApiKey.exists(organization_id=tenant.organization_uuid)


async def test_member_cannot_list_keys(gql, make):
    # given
    tenant = await make.tenant("Hidden Keys")
    await make.api_key(tenant)
    member = await make.member(tenant, "member")

    # when
    body = await gql.execute(
        API_KEYS, {"organizationId": tenant.organization_id}, token=member.token
    )

    # then
    assert body["data"] == {"apiKeys": None}
    assert error_codes(body) == ["FORBIDDEN"]
