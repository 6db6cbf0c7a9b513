"""GraphQL over HTTP: `application/graphql-response+json` is answered as the specification
says (a request that fails before execution: 400 without `data`; once execution started:
200), `application/json` as before (200, `data: null`)."""

import pytest

from tests.support.hostile import alias_flood, deep_query
from tests.support.ids import fake_global_id

GRAPHQL_RESPONSE = "application/graphql-response+json"
MODERN = {"accept": f"{GRAPHQL_RESPONSE}, application/json;q=0.9"}

REQUEST_ERRORS = {
    "a syntax error": ({"query": "{ agentVoices "}, "GRAPHQL_PARSE_FAILED"),
    "an unknown field": ({"query": "{ noSuchField }"}, "GRAPHQL_VALIDATION_FAILED"),
    "a variable of the wrong type": (
        {"query": "query A($id: ID!) { agent(id: $id) { id } }", "variables": {"id": [1]}},
        "BAD_REQUEST",
    ),
    "a missing variable": (
        {"query": "query A($id: ID!) { agent(id: $id) { id } }", "variables": {}},
        "BAD_REQUEST",
    ),
    "a document over the depth limit": (
        {"query": deep_query(50), "variables": {"id": fake_global_id("Agent")}},
        "BAD_REQUEST",
    ),
    "too many aliases": ({"query": alias_flood(100)}, "BAD_REQUEST"),
    "a document over the size limit": ({"query": "{ __typename }" + "#" * 40_000}, "BAD_REQUEST"),
}


async def _post(gql, body, headers, token=None):
    if token:
        headers = {**headers, "authorization": f"Bearer {token}"}
    return await gql.http.post("/graphql", json=body, headers=headers)


@pytest.mark.parametrize(("body", "code"), REQUEST_ERRORS.values(), ids=list(REQUEST_ERRORS))
async def test_a_request_error_is_a_400_without_data_for_graphql_response_json(
    gql, make, body, code
):
    # given
    account = await make.account()

    # when
    response = await _post(gql, body, MODERN, account.token)

    # then
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == f"{GRAPHQL_RESPONSE}; charset=utf-8"
    answer = response.json()
    assert "data" not in answer
    assert [error["extensions"]["code"] for error in answer["errors"]] == [code]


@pytest.mark.parametrize(("body", "code"), REQUEST_ERRORS.values(), ids=list(REQUEST_ERRORS))
async def test_a_request_error_stays_a_200_with_null_data_for_json(gql, make, body, code):
    # given
    account = await make.account()

    for headers in ({"accept": "application/json"}, {}, {"accept": "*/*"}):
        # when
        response = await _post(gql, body, headers, account.token)

        # then
        assert response.status_code == 200, (headers, response.text)
        assert response.headers["content-type"] == "application/json"
        answer = response.json()
        assert answer["data"] is None
        assert [error["extensions"]["code"] for error in answer["errors"]] == [code]


async def test_an_error_once_execution_started_is_a_200_with_data(gql, make):
    # given
    account = await make.account()
    body = {
        "query": "query A($id: ID!) { me { id } agent(id: $id) { id } }",
        "variables": {"id": fake_global_id("Agent")},
    }

    # when
    response = await _post(gql, body, MODERN, account.token)

    # then
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{GRAPHQL_RESPONSE}; charset=utf-8"
    answer = response.json()
    assert answer["data"] == {"me": {"id": account.user_id}, "agent": None}
    assert [error["extensions"]["code"] for error in answer["errors"]] == ["NOT_FOUND"]


async def test_a_non_null_field_that_fails_is_still_a_200_with_null_data(gql):
    # given nobody signed in: `roles` is non-null, so its error nulls the whole document

    # when
    response = await _post(gql, {"query": "{ roles { key } }"}, MODERN)

    # then: execution started, so `data` is there (null) and the status is 200
    assert response.status_code == 200
    assert response.json()["data"] is None
    assert [e["extensions"]["code"] for e in response.json()["errors"]] == ["UNAUTHENTICATED"]


async def test_a_success_is_a_200_in_the_media_type_asked_for(gql, make):
    # given
    account = await make.account()
    query = {"query": "{ agentVoices }"}

    # when
    modern = await _post(gql, query, {"accept": GRAPHQL_RESPONSE}, account.token)
    legacy = await _post(gql, query, {"accept": "application/json"}, account.token)

    # then
    assert modern.status_code == legacy.status_code == 200
    assert modern.headers["content-type"] == f"{GRAPHQL_RESPONSE}; charset=utf-8"
    assert legacy.headers["content-type"] == "application/json"
    assert modern.json() == legacy.json()


@pytest.mark.parametrize(
    ("accept", "modern"),
    [
        (GRAPHQL_RESPONSE, True),
        (f"application/json, {GRAPHQL_RESPONSE}", True),
        (f"application/json;q=0.9, {GRAPHQL_RESPONSE}", True),
        (f"{GRAPHQL_RESPONSE};q=0.5, application/json", False),
        (f"{GRAPHQL_RESPONSE};q=0", False),
        (f"{GRAPHQL_RESPONSE};q=oops", False),
        (f"{GRAPHQL_RESPONSE};q=nan", False),
        (f"{GRAPHQL_RESPONSE};q=2", False),
        ("application/*", False),
        ("text/html", False),
    ],
)
async def test_the_accept_header_chooses_the_media_type(gql, accept, modern):
    # when
    response = await _post(gql, {"query": "{ __typename"}, {"accept": accept})

    # then
    assert (response.status_code == 400) == modern, response.text
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE) == modern
