"""Role-based access inside an organization: custom roles, billing, platform admins."""

from __future__ import annotations

from orm.models import VoiceAgent
from tests.support.graphql import error_codes
from tests.support.ids import global_id, uuid_of
from tests.support.operations import AGENT_CREATE, AGENTS, ORGANIZATION


def _agent_input(tenant) -> dict:
    return {
        "input": {
            "organizationId": tenant.organization_id,
            "name": "Should not exist",
            "systemPrompt": "Nothing.",
        }
    }


def _agent_nodes(data: dict) -> list[dict]:
    return [edge["node"] for edge in data["agents"]["edges"]]


async def test_custom_read_only_role(gql, make):
    # given
    tenant = await make.tenant("Custom Roles")
    agent = await make.agent(tenant, name="Existing")
    role = await make.custom_role(["org:read", "agent:read"])
    reader = await make.member(tenant, role.key)

    # when
    listed = await gql.execute(
        AGENTS, {"organizationId": tenant.organization_id}, token=reader.token
    )
    created = await gql.execute(AGENT_CREATE, _agent_input(tenant), token=reader.token)

    # then
    assert "errors" not in listed, listed
    assert _agent_nodes(listed["data"]) == [
        {"id": global_id("Agent", agent.id), "name": "Existing"}
    ]
    assert created["data"] is None
    assert error_codes(created) == ["FORBIDDEN"]
    assert await VoiceAgent.filter(organization_id=tenant.organization_uuid).count() == 1
    viewer = await gql.data(ORGANIZATION, {"id": tenant.organization_id}, token=reader.token)
    assert viewer["organization"]["viewerRole"] == {"key": role.key}
    assert viewer["organization"]["viewerPermissions"] == ["agent:read", "org:read"]


async def test_billing_reads_the_organization_but_not_agents(gql, make):
    # given
    tenant = await make.tenant("Billing Org")
    await make.agent(tenant)
    billing = await make.member(tenant, "billing")

    # when
    organization = await gql.execute(
        ORGANIZATION, {"id": tenant.organization_id}, token=billing.token
    )
    agents = await gql.execute(
        AGENTS, {"organizationId": tenant.organization_id}, token=billing.token
    )

    # then
    assert "errors" not in organization, organization
    assert organization["data"]["organization"]["name"] == "Billing Org"
    assert organization["data"]["organization"]["viewerRole"] == {"key": "billing"}
    assert agents["data"] == {"agents": None}
    assert error_codes(agents) == ["FORBIDDEN"]


async def test_member_creates_agents(gql, make):
    # given
    tenant = await make.tenant("Builders")
    member = await make.member(tenant, "member")

    # when
    payload = await gql.payload(AGENT_CREATE, _agent_input(tenant), token=member.token)

    # then
    assert payload["errors"] == []
    assert await VoiceAgent.exists(
        id=uuid_of(payload["agent"]["id"]), organization_id=tenant.organization_uuid
    )


async def test_platform_admin_reads_any_organization(gql, make):
    # given
    tenant = await make.tenant("Someone's Org")
    agent = await make.agent(tenant)
    platform_admin = await make.platform_admin()

    # when
    organization = await gql.data(
        ORGANIZATION, {"id": tenant.organization_id}, token=platform_admin.token
    )
    agents = await gql.data(
        AGENTS, {"organizationId": tenant.organization_id}, token=platform_admin.token
    )

    # then
    assert organization["organization"]["name"] == "Someone's Org"
    assert organization["organization"]["viewerRole"] is None
    assert "platform:manage" in organization["organization"]["viewerPermissions"]
    assert [node["id"] for node in _agent_nodes(agents)] == [global_id("Agent", agent.id)]


async def test_platform_admin_flag_is_required(gql, make):
    # given: the same situation without the flag
    tenant = await make.tenant("Still Private")
    outsider = await make.account()

    # when
    body = await gql.execute(ORGANIZATION, {"id": tenant.organization_id}, token=outsider.token)

    # then
    assert body["data"] == {"organization": None}
    assert error_codes(body) == ["NOT_FOUND"]
