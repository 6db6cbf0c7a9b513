"""With production settings the schema stays private: no introspection, no field suggestions.

Development answers the same documents (introspection) or suggests (`Did you mean "me"?`),
which proves each refusal below comes from the production settings.
"""

from __future__ import annotations

import pytest
import pytest_asyncio

from tests.support.hostile import production_settings
from tests.support.logs import sql_statements
from tests.support.servers import asgi_client, running_app
from tests.support.websocket import graphql_socket

INTROSPECTION = {
    "__schema": "query Schema { __schema { types { name fields { name } } } }",
    "__type": 'query Type { __type(name: "User") { name fields { name } } }',
    "__schema inside a fragment": (
        "query Hidden { ...F } fragment F on Query { __schema { queryType { name } } }"
    ),
    "aliased __type": 'query Aliased { t: __type(name: "Agent") { fields { name } } }',
}
SUGGESTIONS = {
    "misspelt root field": (
        "query Typo { mee { id } }",
        "Cannot query field 'mee' on type 'Query'.",
    ),
    "misspelt nested field": (
        "query Typo { me { emial } }",
        "Cannot query field 'emial' on type 'User'.",
    ),
    "misspelt argument": (
        'query Typo { agents(organizationId: "x", frist: 5) { edges { node { id } } } }',
        "Unknown argument 'frist' on field 'Query.agents'.",
    ),
}


@pytest_asyncio.fixture(scope="module")
async def production(server):
    async with asgi_client(
        production_settings(server.settings.database_url), base_url="http://production.test"
    ) as app:
        yield app.http


@pytest.mark.parametrize("query", INTROSPECTION.values(), ids=list(INTROSPECTION))
async def test_introspection_is_refused_in_production(production, gql, query):
    # given development answers it
    development = await gql.execute(query)
    assert "errors" not in development, development

    # when
    with sql_statements() as during:
        response = await production.post("/graphql", json={"query": query})

    # then
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    assert body["errors"]
    for error in body["errors"]:
        assert "GraphQL introspection has been disabled" in error["message"], error
    # Only the caller's own words come back: no name the schema would have revealed.
    for hidden in ("Organization", "Mutation", "AgentConnection", "String"):
        assert hidden not in response.text
    assert during == []


@pytest.mark.parametrize(("query", "message"), SUGGESTIONS.values(), ids=list(SUGGESTIONS))
async def test_production_names_no_field_it_was_not_asked_for(
    production, gql, make, query, message
):
    # given: development suggests the right name; the caller is signed in (same answer)
    account = await make.account()
    development = await gql.execute(query, token=account.token)
    assert "Did you mean" in development["errors"][0]["message"], development

    # when
    response = await production.post(
        "/graphql", json={"query": query}, headers={"Authorization": "Bearer not-a-token"}
    )

    # then
    body = response.json()
    assert body["data"] is None
    assert [error["message"] for error in body["errors"]] == [message]
    assert "Did you mean" not in response.text


async def test_introspection_over_websocket_is_refused_in_production(server, make):
    # given: a production API process, reached with an API key (it does not share our JWT secret)
    api_key = await make.api_key(await make.tenant())
    settings = production_settings(server.settings.database_url)
    async with running_app(settings) as app, graphql_socket(app.ws_url, api_key.key) as socket:
        # when
        await socket.subscribe("1", INTROSPECTION["__schema"])
        await socket.subscribe("2", SUGGESTIONS["misspelt root field"][0])
        introspection, typo = await socket.next("1"), await socket.next("2")

    # then
    assert introspection["type"] == "error"
    assert [e["message"] for e in introspection["payload"]] == [
        "GraphQL introspection has been disabled, but the requested query contained the "
        "field '__schema'.",
        "GraphQL introspection has been disabled, but the requested query contained the "
        "field 'types'.",
        "GraphQL introspection has been disabled, but the requested query contained the "
        "field 'fields'.",
    ]
    assert typo == {
        "id": "2",
        "type": "error",
        "payload": [
            {
                "message": "Cannot query field 'mee' on type 'Query'.",
                "locations": [{"line": 1, "column": 14}],
                "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
            }
        ],
    }
