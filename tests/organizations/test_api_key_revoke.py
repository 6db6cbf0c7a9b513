"""apiKeyRevoke: a revoked key stops authenticating on the next request."""

from __future__ import annotations

from orm.models import ApiKey
from tests.support.graphql import error_codes
from tests.support.operations import API_KEY_REVOKE, ORGANIZATIONS


async def test_revoked_key_is_unauthenticated(gql, make):
    # given
    tenant = await make.tenant("Revoked Keys")
    api_key = await make.api_key(tenant)
    assert "errors" not in await gql.execute(ORGANIZATIONS, token=api_key.key)

    # when
    payload = await gql.payload(API_KEY_REVOKE, {"input": {"id": api_key.id}}, token=tenant.token)

    # then
    assert payload["errors"] == []
    assert payload["apiKey"]["id"] == api_key.id
    assert payload["apiKey"]["revokedAt"] is not None
    body = await gql.execute(ORGANIZATIONS, token=api_key.key)
    assert body["data"] is None
    assert error_codes(body) == ["UNAUTHENTICATED"]


async def test_member_cannot_revoke(gql, make):
    # given
    tenant = await make.tenant("Kept Keys")
    api_key = await make.api_key(tenant)
    member = await make.member(tenant, "member")

    # when
    body = await gql.execute(API_KEY_REVOKE, {"input": {"id": api_key.id}}, token=member.token)

    # then
    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN"]
    assert (await ApiKey.get(id=api_key.row.id)).revoked_at is None
