"""An API key as `Authorization: Bearer <key>`: its organization, its role, nothing else."""

from __future__ import annotations

import pytest

from orm.models import ApiKey, Organization, VoiceAgent
from tests.support.graphql import error_codes
from tests.support.ids import uuid_of
from tests.support.operations import AGENTS, API_KEY_CREATE, ME, ORGANIZATIONS

AGENT_CREATE_WITH_ORGANIZATION = """
mutation AgentCreate($input: AgentCreateInput!) {
  agentCreate(input: $input) {
    agent { id name organization { id } }
    errors { field message code }
  }
}
"""


async def test_organizations_returns_only_the_keys_organization(gql, make):
    # given: the admin belongs to two organizations
    tenant = await make.tenant("Keyed Org")
    await make.tenant("Other Org", owner=tenant.owner)
    api_key = await make.api_key(tenant)

    # when
    data = await gql.data(ORGANIZATIONS, token=api_key.key)

    # then
    assert data["organizations"] == [{"id": tenant.organization_id, "name": "Keyed Org"}]
    row = await ApiKey.get(id=api_key.row.id)
    assert row.last_used_at is not None


async def test_every_generated_key_authenticates(gql, make):
    # given: keys whose random part contains "_" (about half of them) must work too
    tenant = await make.tenant("Underscores")
    key = ""
    for _ in range(60):
        key = (await make.api_key(tenant)).key
        if "_" in key.split("_", 2)[2]:
            break
    assert "_" in key.split("_", 2)[2]

    # when
    body = await gql.execute(ORGANIZATIONS, token=key)

    # then
    assert "errors" not in body, body
    assert [o["id"] for o in body["data"]["organizations"]] == [tenant.organization_id]


async def test_member_key_acts_with_its_role_in_its_organization(gql, make):
    # given
    tenant = await make.tenant("Partner Org")
    api_key = await make.api_key(tenant, "member")

    # when
    payload = await gql.payload(
        AGENT_CREATE_WITH_ORGANIZATION,
        {
            "input": {
                "organizationId": tenant.organization_id,
                "name": "Made by key",
                "systemPrompt": "Hello.",
            }
        },
        token=api_key.key,
    )

    # then
    assert payload["errors"] == []
    assert payload["agent"]["organization"] == {"id": tenant.organization_id}
    agent = await VoiceAgent.get(id=uuid_of(payload["agent"]["id"]))
    assert agent.organization_id == tenant.organization_uuid  # type: ignore[attr-defined]
    assert agent.name == "Made by key"


async def test_key_cannot_reach_another_organization(gql, make):
    # given: the key's creator is admin of the other organization too
    tenant = await make.tenant("Key Home")
    abroad = await make.tenant("Key Abroad", owner=tenant.owner)
    api_key = await make.api_key(tenant, "org_admin")

    # when
    body = await gql.execute(AGENTS, {"organizationId": abroad.organization_id}, token=api_key.key)

    # then
    assert body["data"] == {"agents": None}
    assert error_codes(body) == ["NOT_FOUND"]


async def test_member_key_cannot_create_keys(gql, make):
    # given
    tenant = await make.tenant("No Key Minting")
    api_key = await make.api_key(tenant, "member")

    # when
    body = await gql.execute(
        API_KEY_CREATE,
        {
            "input": {
                "organizationId": tenant.organization_id,
                "name": "Child",
                "role": "org_admin",
            }
        },
        token=api_key.key,
    )

    # then
    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN"]
    assert await ApiKey.filter(organization_id=tenant.organization_uuid).count() == 1


async def test_key_cannot_call_me(gql, make):
    # given
    tenant = await make.tenant("Not A Person")
    api_key = await make.api_key(tenant, "org_admin")

    # when
    body = await gql.execute(ME, token=api_key.key)

    # then
    assert body["data"] == {"me": None}
    assert error_codes(body) == ["FORBIDDEN"]


async def test_key_of_a_deactivated_organization_stops_working(gql, make):
    # given
    tenant = await make.tenant("Closing Down")
    api_key = await make.api_key(tenant)
    assert "errors" not in await gql.execute(ORGANIZATIONS, token=api_key.key)

    # when: the organization is deactivated (no API does that)
    await Organization.filter(id=tenant.organization_uuid).update(is_active=False)
    body = await gql.execute(ORGANIZATIONS, token=api_key.key)

    # then
    assert body["data"] is None
    assert error_codes(body) == ["UNAUTHENTICATED"]


@pytest.mark.parametrize("malformed", ["vak_x", "vak_a_b_c", "vak_", "vak__"])
async def test_malformed_keys_are_unauthenticated(gql, malformed):
    # when
    body = await gql.execute(ORGANIZATIONS, token=malformed)

    # then
    assert body["data"] is None
    assert error_codes(body) == ["UNAUTHENTICATED"]


async def test_a_valid_prefix_with_a_wrong_secret_is_unauthenticated(gql, make):
    # given
    tenant = await make.tenant("Guessing")
    api_key = await make.api_key(tenant)
    prefix = api_key.key.split("_")[1]
    assert prefix == api_key.row.prefix

    # when
    body = await gql.execute(ORGANIZATIONS, token=f"vak_{prefix}_not-the-secret")

    # then
    assert error_codes(body) == ["UNAUTHENTICATED"]
