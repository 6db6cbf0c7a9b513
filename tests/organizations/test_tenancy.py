"""Tenancy: another organization's objects are answered exactly like missing ones."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from orm.models import ApiKey, Membership, Organization, VoiceAgent
from tests.support.factories import Account, Tenant
from tests.support.graphql import error_codes
from tests.support.ids import fake_global_id, global_id, uuid_of
from tests.support.operations import (
    AGENT,
    AGENT_DELETE,
    AGENT_UPDATE,
    AGENTS,
    API_KEY_REVOKE,
    API_KEYS,
    MEMBER_REMOVE,
    NODE,
    ORGANIZATION,
    ORGANIZATION_UPDATE,
)


@dataclass
class TenantA:
    tenant: Tenant
    agent_id: str
    membership_id: str
    api_key_id: str

    @property
    def organization_id(self) -> str:
        return self.tenant.organization_id


async def _tenant_a(make) -> TenantA:
    tenant = await make.tenant("Tenant A")
    agent = await make.agent(tenant, name="A's agent")
    member = await make.member(tenant, "member")
    api_key = await make.api_key(tenant)
    return TenantA(tenant, global_id("Agent", agent.id), member.membership_id, api_key.id)


async def _tenant_b(make) -> Account:
    """A user who runs an organization of their own (so has real permissions somewhere)."""
    return (await make.tenant("Tenant B")).owner


def _assert_not_found(body: dict) -> None:
    assert not any((body["data"] or {}).values()), body  # each root field null
    assert error_codes(body) == ["NOT_FOUND"], body


async def test_queries_on_another_tenant_find_nothing(gql, make):
    # given
    a = await _tenant_a(make)
    b = await _tenant_b(make)

    # when
    organization = await gql.execute(ORGANIZATION, {"id": a.organization_id}, token=b.token)
    agents = await gql.execute(AGENTS, {"organizationId": a.organization_id}, token=b.token)
    agent = await gql.execute(AGENT, {"id": a.agent_id}, token=b.token)
    api_keys = await gql.execute(API_KEYS, {"organizationId": a.organization_id}, token=b.token)

    # then
    for body in (organization, agents, agent, api_keys):
        _assert_not_found(body)
        assert "Tenant A" not in str(body) and "A's agent" not in str(body)


async def test_node_returns_null_and_not_found_for_another_tenants_objects(gql, make):
    # given
    a = await _tenant_a(make)
    b = await _tenant_b(make)
    own = await gql.data(NODE, {"id": a.agent_id}, token=a.tenant.token)
    assert own["node"] == {"__typename": "Agent", "id": a.agent_id}

    for an_id in (a.organization_id, a.agent_id, a.membership_id, a.api_key_id):
        # when
        body = await gql.execute(NODE, {"id": an_id}, token=b.token)

        # then
        assert body["data"] == {"node": None}
        assert error_codes(body) == ["NOT_FOUND"]


async def test_another_tenants_agent_is_answered_like_a_missing_one(gql, make):
    # given
    a = await _tenant_a(make)
    b = await _tenant_b(make)

    # when
    theirs = await gql.raw(AGENT, {"id": a.agent_id}, token=b.token)
    missing = await gql.raw(AGENT, {"id": fake_global_id("Agent")}, token=b.token)

    # then
    assert theirs.status_code == missing.status_code == 200
    assert theirs.content == missing.content
    assert error_codes(theirs.json()) == ["NOT_FOUND"]


async def test_another_tenants_organization_is_answered_like_a_missing_one(gql, make):
    # given
    a = await _tenant_a(make)
    b = await _tenant_b(make)

    # when
    theirs = await gql.raw(ORGANIZATION, {"id": a.organization_id}, token=b.token)
    missing = await gql.raw(ORGANIZATION, {"id": fake_global_id("Organization")}, token=b.token)

    # then
    assert theirs.status_code == missing.status_code == 200
    assert theirs.content == missing.content
    assert error_codes(theirs.json()) == ["NOT_FOUND"]


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
async def test_mutations_on_another_tenants_objects_change_nothing(
    gql, make, operation, make_variables
):
    # given
    a = await _tenant_a(make)
    b = await _tenant_b(make)

    # when
    body = await gql.execute(operation, make_variables(a), token=b.token)

    # then
    _assert_not_found(body)
    organization = await Organization.get(id=a.tenant.organization_uuid)
    assert organization.name == "Tenant A"
    agent = await VoiceAgent.get_or_none(id=uuid_of(a.agent_id))
    assert agent is not None and agent.name == "A's agent"
    assert await Membership.exists(id=uuid_of(a.membership_id))
    assert (await ApiKey.get(id=uuid_of(a.api_key_id))).revoked_at is None
