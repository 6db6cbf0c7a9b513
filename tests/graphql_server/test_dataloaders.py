from tests.support.factories import Account, Factories, Tenant
from tests.support.logs import sql_statements

PAGE_AND_ME = """
query Page($organizationId: ID!, $first: Int!) {
  agents(organizationId: $organizationId, first: $first) {
    edges { node { id name organization { name } } }
  }
  me {
    memberships { organization { name } role { key permissions } }
  }
}
"""
# The page alone: beside `me`, whether the two branches' organization loads share one batch
# depends on which database answer arrives first, not on the page's size.
PAGE = """
query Page($organizationId: ID!, $first: Int!) {
  agents(organizationId: $organizationId, first: $first) {
    edges { node { id name organization { name } } }
  }
}
"""


async def _organization_with_agents(make: Factories, owner: Account, count: int) -> Tenant:
    tenant = await make.tenant(f"Org of {count}", owner=owner)
    for i in range(count):
        await make.agent(tenant, name=f"Agent {i}", system_prompt="Answer.")
    return tenant


async def test_sql_statements_for_a_page_do_not_grow_with_its_size(gql, make):
    # given one (verified) user in two organizations, with 10 and with 60 agents
    account = await make.account(verified=True)
    small = await _organization_with_agents(make, account, 10)
    large = await _organization_with_agents(make, account, 60)

    # when
    with sql_statements() as for_small:
        await gql.data(
            PAGE, {"organizationId": small.organization_id, "first": 10}, token=account.token
        )
    with sql_statements() as for_large:
        await gql.data(
            PAGE, {"organizationId": large.organization_id, "first": 60}, token=account.token
        )
    small_page = await gql.data(
        PAGE_AND_ME, {"organizationId": small.organization_id, "first": 10}, token=account.token
    )
    large_page = await gql.data(
        PAGE_AND_ME, {"organizationId": large.organization_id, "first": 60}, token=account.token
    )

    # then
    assert len(small_page["agents"]["edges"]) == 10
    assert len(large_page["agents"]["edges"]) == 60
    assert {e["node"]["organization"]["name"] for e in large_page["agents"]["edges"]} == {
        "Org of 60"
    }
    memberships = large_page["me"]["memberships"]
    assert [(m["organization"]["name"], m["role"]["key"]) for m in memberships] == [
        ("Org of 10", "org_admin"),
        ("Org of 60", "org_admin"),
    ]
    assert "agent:delete" in memberships[0]["role"]["permissions"]
    assert 0 < len(for_large) == len(for_small), (for_small, for_large)
    assert len(for_large) < 15, for_large


async def test_the_same_request_twice_runs_the_same_statements(gql, make):
    # given loaders are per request: a second request reads again, it is not served stale
    account = await make.account()
    tenant = await _organization_with_agents(make, account, 3)
    variables = {"organizationId": tenant.organization_id, "first": 10}

    # when
    with sql_statements() as first:
        await gql.data(PAGE_AND_ME, variables, token=account.token)
    await make.agent(tenant, name="Newcomer", system_prompt="Answer.")
    with sql_statements() as second:
        data = await gql.data(PAGE_AND_ME, variables, token=account.token)

    # then
    assert len(first) == len(second)
    assert data["agents"]["edges"][0]["node"]["name"] == "Newcomer"
