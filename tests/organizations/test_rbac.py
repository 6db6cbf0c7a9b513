"""Role-based access inside an organization: custom roles, billing, platform admins."""

from __future__ import annotations

from orm.models import VoiceAgent
from tests.conftest import create_organization, sign_up
from tests.organizations.helpers import (
    add_member,
    create_agent,
    create_custom_role,
    error_codes,
    make_platform_admin,
    uuid_of,
)

AGENTS = """
query Agents($organizationId: ID!) {
  agents(organizationId: $organizationId) { edges { node { id name } } }
}
"""

AGENT_CREATE = """
mutation AgentCreate($input: AgentCreateInput!) {
  agentCreate(input: $input) {
    agent { id }
    errors { field message code }
  }
}
"""

ORGANIZATION = """
query Organization($id: ID!) {
  organization(id: $id) { id name viewerRole { key } viewerPermissions }
}
"""


def _agent_input(organization_id: str) -> dict:
    return {
        "input": {
            "organizationId": organization_id,
            "name": "Should not exist",
            "systemPrompt": "Nothing.",
        }
    }


async def test_custom_read_only_role(gql):
    # given
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "Custom Roles")
    agent_id = await create_agent(gql, admin.token, organization_id, "Existing")
    role_key = await create_custom_role(gql, ["org:read", "agent:read"])
    reader, _ = await add_member(gql, admin, organization_id, role_key)

    # when
    listed = await gql.execute(AGENTS, {"organizationId": organization_id}, token=reader.token)
    created = await gql.execute(AGENT_CREATE, _agent_input(organization_id), token=reader.token)

    # then
    assert "errors" not in listed, listed
    assert listed["data"]["agents"]["edges"] == [{"node": {"id": agent_id, "name": "Existing"}}]
    assert created["data"] is None
    assert error_codes(created) == ["FORBIDDEN"]
    assert await VoiceAgent.filter(organization_id=uuid_of(organization_id)).count() == 1
    viewer = await gql.data(ORGANIZATION, {"id": organization_id}, token=reader.token)
    assert viewer["organization"]["viewerRole"] == {"key": role_key}
    assert viewer["organization"]["viewerPermissions"] == ["agent:read", "org:read"]


async def test_billing_reads_the_organization_but_not_agents(gql):
    # given
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "Billing Org")
    await create_agent(gql, admin.token, organization_id)
    billing, _ = await add_member(gql, admin, organization_id, "billing")

    # when
    organization = await gql.execute(ORGANIZATION, {"id": organization_id}, token=billing.token)
    agents = await gql.execute(AGENTS, {"organizationId": organization_id}, token=billing.token)

    # then
    assert "errors" not in organization, organization
    assert organization["data"]["organization"]["name"] == "Billing Org"
    assert organization["data"]["organization"]["viewerRole"] == {"key": "billing"}
    assert agents["data"] is None
    assert error_codes(agents) == ["FORBIDDEN"]


async def test_member_creates_agents(gql):
    # given
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "Builders")
    member, _ = await add_member(gql, admin, organization_id, "member")

    # when
    data = await gql.data(AGENT_CREATE, _agent_input(organization_id), token=member.token)

    # then
    assert data["agentCreate"]["errors"] == []
    assert await VoiceAgent.exists(id=uuid_of(data["agentCreate"]["agent"]["id"]))


async def test_platform_admin_reads_any_organization(gql):
    # given
    owner = await sign_up(gql)
    organization_id = await create_organization(gql, owner, "Someone's Org")
    agent_id = await create_agent(gql, owner.token, organization_id)
    platform_admin = await sign_up(gql)
    await make_platform_admin(platform_admin)

    # when
    organization = await gql.data(ORGANIZATION, {"id": organization_id}, token=platform_admin.token)
    agents = await gql.data(AGENTS, {"organizationId": organization_id}, token=platform_admin.token)

    # then
    assert organization["organization"]["name"] == "Someone's Org"
    assert organization["organization"]["viewerRole"] is None
    assert "platform:manage" in organization["organization"]["viewerPermissions"]
    assert [e["node"]["id"] for e in agents["agents"]["edges"]] == [agent_id]


async def test_platform_admin_flag_is_required(gql):
    # given: the same situation without the flag
    owner = await sign_up(gql)
    organization_id = await create_organization(gql, owner, "Still Private")
    outsider = await sign_up(gql)

    # when
    body = await gql.execute(ORGANIZATION, {"id": organization_id}, token=outsider.token)

    # then
    assert body["data"] is None
    assert error_codes(body) == ["NOT_FOUND"]
