"""apiKeyCreate and apiKeys: the plain key is shown once and stored only as a hash."""

from __future__ import annotations

from orm.models import ApiKey
from tests.conftest import create_organization, sign_up
from tests.organizations.helpers import add_member, create_api_key, error_codes, uuid_of

API_KEY_CREATE = """
mutation ApiKeyCreate($input: ApiKeyCreateInput!) {
  apiKeyCreate(input: $input) {
    apiKey { id name prefix revokedAt role { key } }
    key
    errors { field message code }
  }
}
"""

API_KEYS = """
query ApiKeys($organizationId: ID!) {
  apiKeys(organizationId: $organizationId) {
    id name prefix createdAt lastUsedAt revokedAt role { key }
  }
}
"""

ORGANIZATION_API_KEYS = """
query OrganizationApiKeys($id: ID!) {
  organization(id: $id) { apiKeys { id name prefix } }
}
"""


def _input(organization_id: str, role: str = "member", name: str = "CRM sync") -> dict:
    return {"input": {"organizationId": organization_id, "name": name, "role": role}}


async def test_key_is_returned_once_and_stored_hashed(gql):
    # given
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "Keys Org")

    # when
    data = await gql.data(API_KEY_CREATE, _input(organization_id), token=admin.token)

    # then
    payload = data["apiKeyCreate"]
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


async def test_listing_never_shows_the_key(gql):
    # given
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "Listed Keys")
    key_id, key = await create_api_key(gql, admin, organization_id)
    secret = key.split("_", 2)[2]

    # when
    listed = await gql.raw(API_KEYS, {"organizationId": organization_id}, token=admin.token)
    nested = await gql.raw(ORGANIZATION_API_KEYS, {"id": organization_id}, token=admin.token)

    # then
    assert listed.status_code == 200
    assert [k["id"] for k in listed.json()["data"]["apiKeys"]] == [key_id]
    assert [k["id"] for k in nested.json()["data"]["organization"]["apiKeys"]] == [key_id]
    for response in (listed, nested):
        assert key not in response.text
        assert secret not in response.text


async def test_invalid_role(gql):
    # given
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "Bad Key Roles")

    for role in ("nope", "platform_admin"):
        # when
        data = await gql.data(API_KEY_CREATE, _input(organization_id, role), token=admin.token)

        # then
        payload = data["apiKeyCreate"]
        assert payload["key"] is None
        assert [(e["field"], e["code"]) for e in payload["errors"]] == [("role", "INVALID_ROLE")]
    assert not await ApiKey.exists(organization_id=uuid_of(organization_id))


async def test_member_cannot_create_keys(gql):
    # given
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "Member Keys")
    member, _ = await add_member(gql, admin, organization_id, "member")

    # when
    body = await gql.execute(API_KEY_CREATE, _input(organization_id), token=member.token)

    # then
    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN"]
    assert not await ApiKey.exists(organization_id=uuid_of(organization_id))


async def test_member_cannot_list_keys(gql):
    # given
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "Hidden Keys")
    await create_api_key(gql, admin, organization_id)
    member, _ = await add_member(gql, admin, organization_id, "member")

    # when
    body = await gql.execute(API_KEYS, {"organizationId": organization_id}, token=member.token)

    # then
    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN"]
