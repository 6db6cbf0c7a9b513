import base64

import pytest_asyncio

from core.settings import Settings
from tests.support.graphql import error_codes
from tests.support.operations import AGENT_VOICES
from tests.support.servers import asgi_client

INTROSPECTION = "query Types { __schema { types { name } } }"


@pytest_asyncio.fixture
async def production(server):
    """The app as production builds it, in-process, on the session's database."""
    settings = Settings(
        environment="production",
        jwt_secret="x" * 40,
        encryption_keys="k1:" + base64.urlsafe_b64encode(b"\x01" * 32).decode(),
        database_url=server.settings.database_url,
    )
    async with asgi_client(settings, base_url="http://production") as app:
        yield app.http


async def test_introspection_works_in_development(gql):
    # when
    body = await gql.execute(INTROSPECTION)

    # then
    names = {t["name"] for t in body["data"]["__schema"]["types"]}
    assert {"Agent", "Organization", "Query", "Mutation"} <= names


async def test_introspection_is_refused_in_production(production):
    # when
    response = await production.post("/graphql", json={"query": INTROSPECTION})

    # then
    assert response.status_code == 200, response.text
    body = response.json()
    assert body.get("data") is None
    assert body["errors"]
    assert all("introspection has been disabled" in e["message"] for e in body["errors"])
    assert "contained the field '__schema'" in body["errors"][0]["message"]


async def test_typename_stays_available_in_production(production):
    # when
    response = await production.post("/graphql", json={"query": "{ __typename }"})

    # then
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_production_serves_no_graphiql(production, gql):
    # given development serves the IDE
    development = await gql.http.get("/graphql", headers={"accept": "text/html"})
    assert development.status_code == 200 and "graphiql" in development.text.lower()

    # when
    response = await production.get("/graphql", headers={"accept": "text/html"})

    # then
    assert (response.status_code, response.text) == (404, "Not Found")


async def test_production_schema_answers_queries(production):
    # when
    response = await production.post("/graphql", json={"query": AGENT_VOICES})

    # then
    body = response.json()
    assert body["data"] is None
    assert error_codes(body) == ["UNAUTHENTICATED"]
