"""Tenancy: another organization's objects are answered exactly like missing ones."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from orm.models import ApiKey, Membership, Organization, VoiceAgent
from tests.conftest import Account, create_organization, sign_up
from tests.organizations.helpers import (
    add_member,
    create_agent,
    create_api_key,
    error_codes,
    fake_global_id,
    uuid_of,
)

ORGANIZATION = """
query Organization($id: ID!) {
  organization(id: $id) { id name }
}
"""

AGENTS = """
query Agents($organizationId: ID!) {
  agents(organizationId: $organizationId) { edges { node { id } } }
}
"""

AGENT = """
query Agent($id: ID!) {
  agent(id: $id) { id name systemPrompt }
}
"""

API_KEYS = """
query ApiKeys($organizationId: ID!) {
  apiKeys(organizationId: $organizationId) { id }
}
"""

NODE = """
query Node($id: ID!) {
  node(id: $id) { __typename id }
}
"""

AGENT_UPDATE = """
mutation AgentUpdate($input: AgentUpdateInput!) {
  agentUpdate(input: $input) { agent { id name } errors { code } }
}
"""

AGENT_DELETE = """
mutation AgentDelete($input: AgentDeleteInput!) {
  agentDelete(input: $input) { agent { id } errors { code } }
}
"""

MEMBER_REMOVE = """
mutation MemberRemove($input: MemberRemoveInput!) {
  memberRemove(input: $input) { membership { id } errors { code } }
}
"""

API_KEY_REVOKE = """
mutation ApiKeyRevoke($input: ApiKeyRevokeInput!) {
  apiKeyRevoke(input: $input) { apiKey { id } errors { code } }
}
"""

ORGANIZATION_UPDATE = """
mutation OrganizationUpdate($input: OrganizationUpdateInput!) {
  organizationUpdate(input: $input) { organization { id name } errors { code } }
}
"""


@dataclass
class TenantA:
    admin: Account
    organization_id: str
    agent_id: str
    membership_id: str
    api_key_id: str


async def _tenant_a(gql) -> TenantA:
    admin = await sign_up(gql)
    organization_id = await create_organization(gql, admin, "Tenant A")
    agent_id = await create_agent(gql, admin.token, organization_id, "A's agent")
    _, membership_id = await add_member(gql, admin, organization_id, "member")
    api_key_id, _ = await create_api_key(gql, admin, organization_id)
    return TenantA(admin, organization_id, agent_id, membership_id, api_key_id)


async def _tenant_b(gql) -> Account:
    """A user who runs an organization of their own (so has real permissions somewhere)."""
    user = await sign_up(gql)
    await create_organization(gql, user, "Tenant B")
    return user


def _assert_not_found(body: dict) -> None:
    assert body["data"] is None, body
    assert error_codes(body) == ["NOT_FOUND"], body


async def test_queries_on_another_tenant_find_nothing(gql):
    # given
    a = await _tenant_a(gql)
    b = await _tenant_b(gql)

    # when
    organization = await gql.execute(ORGANIZATION, {"id": a.organization_id}, token=b.token)
    agents = await gql.execute(AGENTS, {"organizationId": a.organization_id}, token=b.token)
    agent = await gql.execute(AGENT, {"id": a.agent_id}, token=b.token)
    api_keys = await gql.execute(API_KEYS, {"organizationId": a.organization_id}, token=b.token)

    # then
    for body in (organization, agents, agent, api_keys):
        _assert_not_found(body)
        assert "Tenant A" not in str(body) and "A's agent" not in str(body)


async def test_node_returns_null_for_another_tenants_objects(gql):
    # given
    a = await _tenant_a(gql)
    b = await _tenant_b(gql)
    own = await gql.data(NODE, {"id": a.agent_id}, token=a.admin.token)
    assert own["node"] == {"__typename": "Agent", "id": a.agent_id}

    for global_id in (a.organization_id, a.agent_id, a.membership_id, a.api_key_id):
        # when
        body = await gql.execute(NODE, {"id": global_id}, token=b.token)

        # then
        assert body == {"data": {"node": None}}


async def test_another_tenants_agent_is_answered_like_a_missing_one(gql):
    # given
    a = await _tenant_a(gql)
    b = await _tenant_b(gql)

    # when
    theirs = await gql.raw(AGENT, {"id": a.agent_id}, token=b.token)
    missing = await gql.raw(AGENT, {"id": fake_global_id("Agent")}, token=b.token)

    # then
    assert theirs.status_code == missing.status_code == 200
    assert theirs.content == missing.content
    assert error_codes(theirs.json()) == ["NOT_FOUND"]


async def test_another_tenants_organization_is_answered_like_a_missing_one(gql):
    # given
    a = await _tenant_a(gql)
    b = await _tenant_b(gql)

    # when
    theirs = await gql.raw(ORGANIZATION, {"id": a.organization_id}, token=b.token)
    missing = await gql.raw(ORGANIZATION, {"id": fake_global_id("Organization")}, token=b.token)

    # then
    assert theirs.content == missing.content


@pytest.mark.parametrize(
    "operation,make_variables",
    [
        (AGENT_UPDATE, lambda a: {"input": {"id": a.agent_id, "name": "Hijacked"}}),
        (AGENT_DELETE, lambda a: {"input": {"id": a.agent_id}}),
        (MEMBER_REMOVE, lambda a: {"input": {"membershipId": a.membership_id}}),
        (API_KEY_REVOKE, lambda a: {"input": {"id": a.api_key_id}}),
        (ORGANIZATION_UPDATE, lambda a: {"input": {"id": a.organization_id, "name": "Hijacked"}}),
    ],
    ids=["agentUpdate", "agentDelete", "memberRemove", "apiKeyRevoke", "organizationUpdate"],
)
async def test_mutations_on_another_tenants_objects_change_nothing(gql, operation, make_variables):
    # given
    a = await _tenant_a(gql)
    b = await _tenant_b(gql)

    # when
    body = await gql.execute(operation, make_variables(a), token=b.token)

    # then
    _assert_not_found(body)
    organization = await Organization.get(id=uuid_of(a.organization_id))
    assert organization.name == "Tenant A"
    agent = await VoiceAgent.get_or_none(id=uuid_of(a.agent_id))
    assert agent is not None and agent.name == "A's agent"
    assert await Membership.exists(id=uuid_of(a.membership_id))
    assert (await ApiKey.get(id=uuid_of(a.api_key_id))).revoked_at is None
