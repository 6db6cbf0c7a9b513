"""Root fields that name an object (or an organization) are nullable: a missing, foreign or
forbidden one answers null with a coded error at its path, and the rest of the document is
answered."""

import pytest

from tests.support.graphql import error_codes
from tests.support.ids import fake_global_id, global_id

ME_AND_AGENT = """
query MeAndAgent($agent: ID!) {
  me { id }
  agent(id: $agent) { id }
}
"""

MANY = """
query Many($org: ID!, $call: ID!, $agent: ID!) {
  me { id }
  organization(id: $org) { id }
  agent(id: $agent) { id }
  call(id: $call) { id }
  agents(organizationId: $org) { edges { node { id } } }
  calls(organizationId: $org) { edges { node { id } } }
  activeCalls(organizationId: $org) { id }
  apiKeys(organizationId: $org) { id }
  customFunctions(organizationId: $org) { id }
  billingSummary(organizationId: $org) { creditBalance }
  roles { key }
}
"""

ORGANIZATION_SCOPED = (
    "organization",
    "agent",
    "call",
    "agents",
    "calls",
    "activeCalls",
    "apiKeys",
    "customFunctions",
    "billingSummary",
)


async def test_a_missing_agent_beside_me_leaves_me_answered(gql, make):
    # given
    account = await make.account()

    for missing in ("missing", fake_global_id("Agent")):
        # when
        body = await gql.execute(ME_AND_AGENT, {"agent": missing}, token=account.token)

        # then
        assert body["data"] == {"me": {"id": account.user_id}, "agent": None}, missing
        [error] = body["errors"]
        assert (error["path"], error["extensions"]["code"]) == (["agent"], "NOT_FOUND")


async def test_another_organizations_objects_are_null_and_not_found_one_by_one(gql, make):
    # given a stranger to an organization with an agent and a call
    tenant = await make.tenant()
    agent = await make.agent(tenant)
    call = await make.call(tenant, agent)
    stranger = await make.account()
    variables = {
        "org": tenant.organization_id,
        "agent": global_id("Agent", agent.id),
        "call": global_id("Call", call.id),
    }

    # when
    body = await gql.execute(MANY, variables, token=stranger.token)

    # then every organization's field is null with its own NOT_FOUND; the others answer
    assert body["data"] == {
        "me": {"id": stranger.user_id},
        **dict.fromkeys(ORGANIZATION_SCOPED),
        "roles": body["data"]["roles"],
    }
    assert body["data"]["roles"]
    assert sorted((e["path"][0], e["extensions"]["code"]) for e in body["errors"]) == sorted(
        (field, "NOT_FOUND") for field in ORGANIZATION_SCOPED
    )


@pytest.mark.parametrize(
    ("field", "allowed"),
    [
        ("billingSummary", False),
        ("apiKeys", False),
        ("agents", True),
        ("calls", True),
    ],
)
async def test_a_field_the_role_may_not_read_is_null_and_forbidden_alone(gql, make, field, allowed):
    # given a member (no billing, no API keys)
    tenant = await make.tenant()
    agent = await make.agent(tenant)
    call = await make.call(tenant, agent)
    member = await make.member(tenant, "member")
    variables = {
        "org": tenant.organization_id,
        "agent": global_id("Agent", agent.id),
        "call": global_id("Call", call.id),
    }

    # when
    body = await gql.execute(MANY, variables, token=member.token)

    # then
    refused = {e["path"][0]: e["extensions"]["code"] for e in body.get("errors", [])}
    assert set(refused) == {"billingSummary", "apiKeys"}
    assert set(refused.values()) == {"FORBIDDEN"}
    assert (body["data"][field] is not None) == allowed
    assert body["data"]["me"] == {"id": member.user_id}
    assert body["data"]["agent"] == {"id": variables["agent"]}


async def test_me_is_null_and_forbidden_for_an_api_key_beside_its_organization(gql, make):
    # given
    tenant = await make.tenant()
    key = await make.api_key(tenant, "member")

    # when
    body = await gql.execute(
        "query Q($org: ID!) { me { id } organization(id: $org) { id } }",
        {"org": tenant.organization_id},
        token=key.key,
    )

    # then
    assert body["data"] == {"me": None, "organization": {"id": tenant.organization_id}}
    assert error_codes(body) == ["FORBIDDEN"]
    assert body["errors"][0]["path"] == ["me"]
