from tests.conftest import create_organization, sign_up
from tests.graphql_server.helpers import sql_statements

AGENT_VOICES = "query Voices { agentVoices }"


def deep_query(levels: int) -> str:
    """`node(id)` -> Agent -> organization -> agents -> edges -> node -> organization -> ..."""
    opening, closing, depth = [], [], 0
    while depth < levels:
        opening.append("organization { agents { edges { node { ")
        closing.append(" } } } }")
        depth += 4
    body = "".join(opening) + "id" + "".join(closing)
    return f"query Deep($id: ID!) {{ node(id: $id) {{ ... on Agent {{ {body} }} }} }}"


SHALLOW = """
query Shallow($id: ID!) {
  node(id: $id) { ... on Organization { agents { edges { node { organization { name } } } } } }
}
"""


async def test_a_50_deep_query_is_refused_before_any_resolver_runs(gql):
    # given a signed-in user whose request can read data
    account = await sign_up(gql)
    organization_id = await create_organization(gql, account)
    variables = {"id": organization_id}
    with sql_statements() as baseline:  # authentication only: no resolver reads the database
        await gql.data(AGENT_VOICES, token=account.token)
    with sql_statements() as shallow:  # the counter sees resolvers that do read
        await gql.data(SHALLOW, variables, token=account.token)

    # when
    with sql_statements() as deep:
        body = await gql.execute(deep_query(50), variables, token=account.token)

    # then
    assert body.get("data") is None
    assert len(body["errors"]) == 1
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]
    assert len(shallow) > len(baseline)
    assert len(deep) == len(baseline), deep


async def test_a_query_at_the_depth_limit_is_accepted(gql, server):
    # given
    account = await sign_up(gql)
    organization_id = await create_organization(gql, account)
    # node(1) organization(2) agents(3) edges(4) node(5) id(6) ... up to the configured limit
    query = (
        "query Ok($id: ID!) { node(id: $id) { ... on Organization { agents { edges { node { "
        "organization { agents { edges { node { organization { name } } } } } } } } } } }"
    )

    # when
    data = await gql.data(query, {"id": organization_id}, token=account.token)

    # then
    assert server.settings.max_query_depth == 12
    assert data["node"] == {"agents": {"edges": []}}


async def test_too_many_aliases_are_refused(gql, server):
    # given
    account = await sign_up(gql)
    query = "{ " + " ".join(f"a{i}: agentVoices" for i in range(100)) + " }"

    # when
    body = await gql.execute(query, token=account.token)

    # then
    assert body.get("data") is None
    assert [e["message"] for e in body["errors"]] == [
        f"100 aliases found. Allowed: {server.settings.max_query_aliases}"
    ]


async def test_a_query_over_the_token_limit_is_refused(gql, server):
    # given
    account = await sign_up(gql)
    limit = server.settings.max_query_tokens
    query = "{ " + " ".join(["__typename"] * (limit + 10)) + " }"

    # when
    body = await gql.execute(query, token=account.token)

    # then
    assert limit == 2000
    assert body.get("data") is None
    assert len(body["errors"]) == 1
    message = body["errors"][0]["message"]
    assert f"more than {limit} tokens" in message, message


async def test_an_anonymous_deep_query_is_refused_by_the_limit_not_by_authentication(gql):
    # given nobody signed in
    variables = {"id": "T3JnYW5pemF0aW9uOjAwMDAwMDAwLTAwMDAtNDAwMC04MDAwLTAwMDAwMDAwMDAwMA=="}

    # when
    body = await gql.execute(deep_query(50), variables)

    # then
    assert body.get("data") is None
    assert len(body["errors"]) == 1
    assert "exceeds maximum operation depth" in body["errors"][0]["message"]
    assert (body["errors"][0].get("extensions") or {}).get("code") != "UNAUTHENTICATED"
