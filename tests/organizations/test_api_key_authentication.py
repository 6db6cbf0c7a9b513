"""An API key as `Authorization: Bearer <key>`: its organization, its role, nothing else."""

from __future__ import annotations

import pytest

from orm.models import ApiKey, VoiceAgent
from tests.conftest import create_organization, sign_up
from tests.organizations.helpers import (
    API_KEY_CREATE,
    create_api_key,
    deactivate_organization,
    error_codes,
    uuid_of,
)

ORGANIZATIONS = """
query Organizations {
  organizations { id name }
}
"""

ME = """
query Me {
  me { id }
}
"""

AGENTS = """
query Agents($organizationId: ID!) {
  agents(organizationId: $organizationId) { edges { node { id } } }
}
"""

AGENT_CREATE = """
mutation AgentCreate($input: AgentCreateInput!) {
  agentCreate(input: $input) {
    agent { id name organization { id } }
    errors { field message code }
  }
}
"""


async def test_organizations_returns_only_the_keys_organization(gql):
    # given: the admin belongs to two organizations
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "Keyed Org")
    await create_organization(gql, admin, "Other Org")
    _, key = await create_api_key(gql, admin, organization_id)

    # when
    data = await gql.data(ORGANIZATIONS, token=key)

    # then
    assert data["organizations"] == [{"id": organization_id, "name": "Keyed Org"}]
    row = await ApiKey.get(prefix=key.split("_")[1])
    assert row.last_used_at is not None


async def test_every_generated_key_authenticates(gql):
    # given: keys whose random part contains "_" (about half of them) must work too
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "Underscores")
    key = ""
    for _ in range(60):
        _, key = await create_api_key(gql, admin, organization_id)
        if "_" in key.split("_", 2)[2]:
            break
    assert "_" in key.split("_", 2)[2]

    # when
    body = await gql.execute(ORGANIZATIONS, token=key)

    # then
    assert "errors" not in body, body
    assert [o["id"] for o in body["data"]["organizations"]] == [organization_id]


async def test_member_key_acts_with_its_role_in_its_organization(gql):
    # given
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "Partner Org")
    _, key = await create_api_key(gql, admin, organization_id, role="member")

    # when
    data = await gql.data(
        AGENT_CREATE,
        {
            "input": {
                "organizationId": organization_id,
                "name": "Made by key",
                "systemPrompt": "Hello.",
            }
        },
        token=key,
    )

    # then
    payload = data["agentCreate"]
    assert payload["errors"] == []
    assert payload["agent"]["organization"] == {"id": organization_id}
    agent = await VoiceAgent.get(id=uuid_of(payload["agent"]["id"]))
    assert agent.organization_id == uuid_of(organization_id)  # type: ignore[attr-defined]
    assert agent.name == "Made by key"


async def test_key_cannot_reach_another_organization(gql):
    # given: the key's creator is admin of the other organization too
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "Key Home")
    other_organization = await create_organization(gql, admin, "Key Abroad")
    _, key = await create_api_key(gql, admin, organization_id, role="org_admin")

    # when
    body = await gql.execute(AGENTS, {"organizationId": other_organization}, token=key)

    # then
    assert body["data"] is None
    assert error_codes(body) == ["NOT_FOUND"]


async def test_member_key_cannot_create_keys(gql):
    # given
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "No Key Minting")
    _, key = await create_api_key(gql, admin, organization_id, role="member")

    # when
    body = await gql.execute(
        API_KEY_CREATE,
        {"input": {"organizationId": organization_id, "name": "Child", "role": "org_admin"}},
        token=key,
    )

    # then
    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN"]
    assert await ApiKey.filter(organization_id=uuid_of(organization_id)).count() == 1


async def test_key_cannot_call_me(gql):
    # given
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "Not A Person")
    _, key = await create_api_key(gql, admin, organization_id, role="org_admin")

    # when
    body = await gql.execute(ME, token=key)

    # then
    assert body["data"] is None
    assert error_codes(body) == ["FORBIDDEN"]


async def test_key_of_a_deactivated_organization_stops_working(gql):
    # given
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "Closing Down")
    _, key = await create_api_key(gql, admin, organization_id)
    assert "errors" not in await gql.execute(ORGANIZATIONS, token=key)

    # when
    await deactivate_organization(organization_id)
    body = await gql.execute(ORGANIZATIONS, token=key)

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


async def test_a_valid_prefix_with_a_wrong_secret_is_unauthenticated(gql):
    # given
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "Guessing")
    _, key = await create_api_key(gql, admin, organization_id)
    prefix = key.split("_")[1]

    # when
    body = await gql.execute(ORGANIZATIONS, token=f"vak_{prefix}_not-the-secret")

    # then
    assert error_codes(body) == ["UNAUTHENTICATED"]
