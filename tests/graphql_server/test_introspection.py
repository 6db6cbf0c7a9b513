import base64

import httpx
import pytest_asyncio

from core.settings import Settings
from graphql_api.app import create_app

INTROSPECTION = "query Types { __schema { types { name } } }"
AGENT_VOICES = "query Voices { agentVoices }"


@pytest_asyncio.fixture
async def production(server):
    """The app as production builds it, in-process.

    ASGITransport runs no lifespan; the test server has already opened Tortoise in this
    process, so whatever reaches the database still works.
    """
    settings = Settings(
        environment="production",
        jwt_secret="x" * 40,
        encryption_keys="k1:" + base64.urlsafe_b64encode(b"\x01" * 32).decode(),
        database_url=server.settings.database_url,
    )
    app = create_app(settings, run_mail_sender=False)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://production") as http:
        yield http


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
    assert response.status_code != 200
    assert "<html" not in response.text.lower()
    assert "graphiql" not in response.text.lower()


async def test_production_schema_answers_queries(production):
    # when
    response = await production.post("/graphql", json={"query": AGENT_VOICES})

    # then
    body = response.json()
    assert body["data"] is None
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]
