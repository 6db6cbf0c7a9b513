"""Lists that load what their items' fields ask for (graphql_api/lookahead.py) answer exactly as
the items would one by one, through fragments too, and check every item's permission as
before: a field the caller may not read is still null with FORBIDDEN on each item."""

from __future__ import annotations

from tests.support.ids import global_id

DASHBOARD = """
query Dashboard($id: ID!) {
  organization(id: $id) {
    agents(first: 10) { edges { node { ...AgentCard } } }
  }
  calls(organizationId: $id, first: 10) {
    edges { node { id status agent { ... on Agent { name phoneNumber } } } }
  }
}
fragment AgentCard on Agent { id name phoneNumber tools { tool { name } isEnabled } }
"""

ONE_AGENT = """
query One($id: ID!) {
  agent(id: $id) { id name phoneNumber tools { tool { name } isEnabled } }
}
"""

ONE_CALL = """
query OneCall($id: ID!) { call(id: $id) { id status agent { name phoneNumber } } }
"""

ME = "query { me { memberships { role { key } organization { id name } } } }"


async def _dashboard_org(make):  # type: ignore[no-untyped-def]
    tenant = await make.tenant("Read Ahead Co")
    agents = [await make.agent(tenant, name=f"Agent {n}", phone_number=True) for n in range(3)]
    await make.agent_tool(agents[0], enabled=False)
    await make.agent_tool(agents[2])
    calls = [await make.call(tenant, agent=agent) for agent in (agents[0], agents[1], agents[0])]
    return tenant, agents, calls


async def test_a_page_answers_as_its_items_would_one_by_one(gql, make):
    # given
    tenant, agents, calls = await _dashboard_org(make)

    # when
    page = await gql.data(DASHBOARD, {"id": tenant.organization_id}, token=tenant.owner.token)

    # then: every agent and every call's agent is what its own field answers
    nodes = [edge["node"] for edge in page["organization"]["agents"]["edges"]]
    assert [node["name"] for node in nodes] == ["Agent 2", "Agent 1", "Agent 0"]
    for node in nodes:
        alone = await gql.data(ONE_AGENT, {"id": node["id"]}, token=tenant.owner.token)
        assert node == alone["agent"]
    assert [len(node["tools"]) for node in nodes] == [1, 0, 1]
    assert nodes[2]["tools"] == [{"tool": {"name": "google_calendar"}, "isEnabled": False}]
    assert nodes[0]["phoneNumber"] == agents[2].phone_number.e164
    call_nodes = [edge["node"] for edge in page["calls"]["edges"]]
    assert {node["id"] for node in call_nodes} == {global_id("Call", call.id) for call in calls}
    for node in call_nodes:
        alone = await gql.data(ONE_CALL, {"id": node["id"]}, token=tenant.owner.token)
        assert node == alone["call"]


async def test_tools_and_agents_of_a_page_stay_forbidden_to_a_role_without_their_permission(
    gql, make
):
    # given: a role that reads agents and calls but not tools, one that reads calls only
    tenant, _, _ = await _dashboard_org(make)
    agents_only = await make.member(
        tenant, (await make.custom_role(["org:read", "agent:read", "call:read"])).key
    )
    calls_only = await make.member(tenant, (await make.custom_role(["org:read", "call:read"])).key)

    # when
    agents_body = await gql.execute(
        DASHBOARD, {"id": tenant.organization_id}, token=agents_only.token
    )
    calls_body = await gql.execute(
        "query($id: ID!) { calls(organizationId: $id, first: 10) "
        "{ edges { node { status agent { name } } } } }",
        {"id": tenant.organization_id},
        token=calls_only.token,
    )

    # then: each agent's tools, and each call's agent, is null with FORBIDDEN at its path
    agents = agents_body["data"]["organization"]["agents"]["edges"]
    assert [edge["node"]["tools"] for edge in agents] == [None, None, None]
    tool_errors = [e for e in agents_body["errors"] if e["path"][-1] == "tools"]
    assert len(tool_errors) == 3
    assert {e["extensions"]["code"] for e in tool_errors} == {"FORBIDDEN"}
    assert all(e["path"][-1] != "agent" for e in agents_body["errors"])  # agent:read: shown
    call_edges = calls_body["data"]["calls"]["edges"]
    assert [edge["node"]["agent"] for edge in call_edges] == [None, None, None]
    assert [e["extensions"]["code"] for e in calls_body["errors"]] == ["FORBIDDEN"] * 3
    assert all(e["path"][-1] == "agent" for e in calls_body["errors"])


async def test_memberships_answer_their_organization_and_role(gql, make):
    # given someone in two organizations, with different roles
    first = await make.tenant("First Co")
    second = await make.tenant("Second Co")
    person = await make.member(first, "member")
    await make.join(second, person, "billing")

    # when
    me = await gql.data(ME, token=person.token)

    # then
    assert me["me"]["memberships"] == [
        {
            "role": {"key": "member"},
            "organization": {"id": first.organization_id, "name": "First Co"},
        },
        {
            "role": {"key": "billing"},
            "organization": {"id": second.organization_id, "name": "Second Co"},
        },
    ]
