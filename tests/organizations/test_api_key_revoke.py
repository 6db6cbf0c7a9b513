"""apiKeyRevoke: a revoked key stops authenticating on the next request."""

from __future__ import annotations

from orm.models import ApiKey
from tests.conftest import create_organization, sign_up
from tests.organizations.helpers import add_member, create_api_key, error_codes, uuid_of

API_KEY_REVOKE = """
mutation ApiKeyRevoke($input: ApiKeyRevokeInput!) {
  apiKeyRevoke(input: $input) {
    apiKey { id revokedAt }
    errors { field message code }
  }
}
"""

ORGANIZATIONS = """
query Organizations {
  organizations { id }
}
"""


async def test_revoked_key_is_unauthenticated(gql):
    # given
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "Revoked Keys")
    key_id, key = await create_api_key(gql, admin, organization_id)
    assert "errors" not in await gql.execute(ORGANIZATIONS, token=key)

    # when
    data = await gql.data(API_KEY_REVOKE, {"input": {"id": key_id}}, token=admin.token)

    # then
    payload = data["apiKeyRevoke"]
    assert payload["errors"] == []
    assert payload["apiKey"]["id"] == key_id
    assert payload["apiKey"]["revokedAt"] is not None
    body = await gql.execute(ORGANIZATIONS, token=key)
    assert body["data"] is None
    assert error_codes(body) == ["UNAUTHENTICATED"]


async def test_member_cannot_revoke(gql):
    # given
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "Kept Keys")
    key_id, _ = await create_api_key(gql, admin, organization_id)
    member, _ = await add_member(gql, admin, organization_id, "member")

    # when
    body = await gql.execute(API_KEY_REVOKE, {"input": {"id": key_id}}, token=member.token)

    # then
    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN"]
    assert (await ApiKey.get(id=uuid_of(key_id))).revoked_at is None
