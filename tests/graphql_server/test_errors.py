import logging
import re

from tests.conftest import sign_up

ROLES = "query Roles { roles { key } }"
AGENT_VOICES = "query Voices { agentVoices }"


async def test_an_unexpected_error_is_masked_for_the_client_and_logged_with_a_reference(
    gql, monkeypatch, caplog
):
    # given a service function that fails in a way nobody planned for
    from core.services import roles

    async def broken_get_all():
        raise RuntimeError("secret detail")

    monkeypatch.setattr(roles, "get_all", broken_get_all)
    account = await sign_up(gql)

    # when
    with caplog.at_level(logging.ERROR, logger="graphql_api.errors"):
        body = await gql.execute(ROLES, token=account.token)

    # then the client sees a reference, not the detail
    assert body["data"] is None
    [error] = body["errors"]
    match = re.fullmatch(r"Unexpected error\. Reference: ([0-9a-f]+)", error["message"])
    assert match is not None, error
    reference = match.group(1)
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert error["path"] == ["roles"]
    assert "secret detail" not in str(body)
    # and the server log has the same reference beside the traceback
    records = [r for r in caplog.records if r.name == "graphql_api.errors"]
    assert len(records) == 1
    assert reference in records[0].getMessage()
    assert records[0].exc_info is not None
    assert records[0].exc_info[0] is RuntimeError
    assert "secret detail" in caplog.text and "Traceback" in caplog.text


async def test_public_errors_are_not_logged_as_incidents(gql, caplog):
    # given nobody signed in
    # when
    with caplog.at_level(logging.ERROR, logger="graphql_api.errors"):
        body = await gql.execute(ROLES)

    # then
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"]
    assert [r for r in caplog.records if r.name == "graphql_api.errors"] == []


async def test_a_syntax_error_comes_back_unmasked(gql):
    # when
    body = await gql.execute("query { agentVoices ")

    # then
    [error] = body["errors"]
    assert error["message"].startswith("Syntax Error:"), error
    assert "Unexpected error" not in error["message"]


async def test_an_unknown_field_comes_back_unmasked(gql):
    # when
    body = await gql.execute("query { noSuchField }")

    # then
    [error] = body["errors"]
    assert "Cannot query field 'noSuchField'" in error["message"], error


async def test_a_malformed_json_body_is_a_client_error(gql):
    # when
    response = await gql.http.post(
        "/graphql",
        content=b'{"query": "{ agentVoices ',
        headers={"content-type": "application/json"},
    )

    # then
    assert 400 <= response.status_code < 500, response.text


async def test_a_body_that_is_not_an_object_is_a_client_error(gql):
    # when
    response = await gql.http.post("/graphql", json=["{ agentVoices }"])

    # then
    assert 400 <= response.status_code < 500, response.text


async def test_queries_over_get_are_not_served(gql):
    # when
    response = await gql.http.get("/graphql", params={"query": AGENT_VOICES})

    # then
    assert 400 <= response.status_code < 500, response.text
    assert "agentVoices" not in response.text


async def test_an_empty_query_is_a_client_error(gql):
    for query in ("", "   "):
        # when
        response = await gql.raw(query)

        # then
        assert response.status_code != 500
        if response.status_code == 200:
            assert response.json()["errors"], response.text
        else:
            assert 400 <= response.status_code < 500, response.text


async def test_a_missing_query_is_a_client_error(gql):
    # when
    response = await gql.http.post("/graphql", json={"variables": {}})

    # then
    assert 400 <= response.status_code < 500, response.text


async def test_variables_of_the_wrong_type_are_a_graphql_error(gql):
    # when
    body = await gql.execute(
        "query Agent($id: ID!) { agent(id: $id) { id } }", {"id": {"not": "an id"}}
    )

    # then
    [error] = body["errors"]
    assert "Variable '$id'" in error["message"], error


async def test_a_variable_that_is_not_an_int_is_a_graphql_error(gql):
    # given
    account = await sign_up(gql)
    query = """
    query Agents($first: Int) { agents(organizationId: "x", first: $first) { edges { cursor } } }
    """

    # when
    body = await gql.execute(query, {"first": "ten"}, token=account.token)

    # then
    [error] = body["errors"]
    assert error["message"].startswith("Variable '$first' has invalid value"), error
    assert (error.get("extensions") or {}).get("code") != "INTERNAL_SERVER_ERROR"
