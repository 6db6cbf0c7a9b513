from tests.support.graphql import error_codes
from tests.support.hostile import deep_query
from tests.support.logs import sql_statements
from tests.support.operations import AGENT_VOICES

SHALLOW = """
query Shallow($id: ID!) {
  node(id: $id) { ... on Organization { agents { edges { node { organization { name } } } } } }
}
"""


async def test_a_50_deep_query_is_refused_before_any_resolver_runs(gql, make):
    # given a signed-in user whose request can read data
    tenant = await make.tenant()
    account = tenant.owner
    variables = {"id": tenant.organization_id}
    with sql_statements() as baseline:  # authentication only: no resolver reads the database
        await gql.data(AGENT_VOICES, token=account.token)
    with sql_statements() as shallow:  # the counter sees resolvers that do read
        await gql.data(SHALLOW, variables, token=account.token)

    # when
    with sql_statements() as deep:
        body = await gql.execute(deep_query(50), variables, token=account.token)

    # then
    assert body.get("data") is None
    assert [error["message"] for error in body["errors"]] == [
        "'Deep' exceeds maximum operation depth of 12"
    ]
    assert error_codes(body) == ["BAD_REQUEST"]
    assert len(shallow) > len(baseline)
    assert len(deep) == len(baseline), deep


async def test_a_query_at_the_depth_limit_is_accepted(gql, server, make):
    # given
    tenant = await make.tenant()
    # node(1) organization(2) agents(3) edges(4) node(5) id(6) ... up to the configured limit
    query = (
        "query Ok($id: ID!) { node(id: $id) { ... on Organization { agents { edges { node { "
        "organization { agents { edges { node { organization { name } } } } } } } } } } }"
    )

    # when
    data = await gql.data(query, {"id": tenant.organization_id}, token=tenant.token)

    # then
    assert server.settings.max_query_depth == 12
    assert data["node"] == {"agents": {"edges": []}}


async def test_too_many_aliases_are_refused(gql, server, make):
    # given
    account = await make.account()
    query = "{ " + " ".join(f"a{i}: agentVoices" for i in range(100)) + " }"

    # when
    body = await gql.execute(query, token=account.token)

    # then
    assert body.get("data") is None
    assert [e["message"] for e in body["errors"]] == [
        f"100 aliases found. Allowed: {server.settings.max_query_aliases}"
    ]
    assert error_codes(body) == ["BAD_REQUEST"]


async def test_a_query_over_the_token_limit_is_refused(gql, server, make):
    # given
    account = await make.account()
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
    assert error_codes(body) == ["BAD_REQUEST"]


async def test_an_anonymous_deep_query_is_refused_by_the_limit_not_by_authentication(gql):
    # given nobody signed in
    variables = {"id": "T3JnYW5pemF0aW9uOjAwMDAwMDAwLTAwMDAtNDAwMC04MDAwLTAwMDAwMDAwMDAwMA=="}

    # when
    body = await gql.execute(deep_query(50), variables)

    # then: the limit's error, with the code of a limit, not of an authentication failure
    assert body.get("data") is None
    [error] = body["errors"]
    assert error["message"] == "'Deep' exceeds maximum operation depth of 12"
    assert error["extensions"] == {"code": "BAD_REQUEST"}
