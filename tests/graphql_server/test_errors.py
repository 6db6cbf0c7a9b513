import logging
import re

from tests.support.graphql import error_codes
from tests.support.operations import AGENT_VOICES

ROLES = "query Roles { roles { key } }"


async def test_an_unexpected_error_is_masked_for_the_client_and_logged_with_a_reference(
    gql, make, monkeypatch, caplog
):
    # given a service function that fails in a way nobody planned for
    from core.services import roles

    async def broken_get_all():
        raise RuntimeError("secret detail")

    monkeypatch.setattr(roles, "get_all", broken_get_all)
    account = await make.account()

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
    assert error_codes(body) == ["UNAUTHENTICATED"]
    assert [r for r in caplog.records if r.name == "graphql_api.errors"] == []


async def test_a_syntax_error_comes_back_unmasked_with_its_code(gql):
    # when
    body = await gql.execute("query { agentVoices ")

    # then
    [error] = body["errors"]
    assert error["message"] == "Syntax Error: Expected Name, found <EOF>.", error
    assert error["extensions"] == {"code": "GRAPHQL_PARSE_FAILED"}


async def test_an_unknown_field_comes_back_unmasked_with_its_code(gql):
    # when
    body = await gql.execute("query { noSuchField }")

    # then
    [error] = body["errors"]
    assert error["message"] == "Cannot query field 'noSuchField' on type 'Query'.", error
    assert error["extensions"] == {"code": "GRAPHQL_VALIDATION_FAILED"}


async def test_a_malformed_json_body_is_a_client_error(gql):
    # when
    response = await gql.http.post(
        "/graphql",
        content=b'{"query": "{ agentVoices ',
        headers={"content-type": "application/json"},
    )

    # then
    assert (response.status_code, response.text) == (400, "Unable to parse request body as JSON")


async def test_a_body_that_is_not_an_object_is_a_client_error(gql):
    # when
    response = await gql.http.post("/graphql", json=["{ agentVoices }"])

    # then
    assert (response.status_code, response.text) == (400, "Batching is not enabled")


async def test_queries_over_get_are_not_served(gql):
    # when
    response = await gql.http.get("/graphql", params={"query": AGENT_VOICES})

    # then
    assert (response.status_code, response.text) == (
        400,
        "queries are not allowed when using GET",
    )


async def test_an_empty_query_is_a_client_error(gql):
    # when
    empty = await gql.raw("")
    blank = await gql.raw("   ")

    # then: no query at all is refused by the transport; blanks are a query that does not parse
    assert (empty.status_code, empty.text) == (400, "No GraphQL query found in the request")
    assert blank.status_code == 200, blank.text
    assert blank.json()["data"] is None
    assert [error["message"] for error in blank.json()["errors"]] == [
        "Syntax Error: Unexpected <EOF>."
    ]
    assert error_codes(blank.json()) == ["GRAPHQL_PARSE_FAILED"]


async def test_a_missing_query_is_a_client_error(gql):
    # when
    response = await gql.http.post("/graphql", json={"variables": {}})

    # then
    assert (response.status_code, response.text) == (400, "No GraphQL query found in the request")


async def test_variables_of_the_wrong_type_are_a_graphql_error(gql):
    # when
    body = await gql.execute(
        "query Agent($id: ID!) { agent(id: $id) { id } }", {"id": {"not": "an id"}}
    )

    # then
    [error] = body["errors"]
    assert error["message"] == (
        "Variable '$id' has invalid value: ID cannot represent value: {'not': 'an id'}"
    ), error
    assert error["extensions"] == {"code": "BAD_REQUEST"}


async def test_a_variable_that_is_not_an_int_is_a_graphql_error(gql, make):
    # given
    account = await make.account()
    query = """
    query Agents($first: Int) { agents(organizationId: "x", first: $first) { edges { cursor } } }
    """

    # when
    body = await gql.execute(query, {"first": "ten"}, token=account.token)

    # then
    [error] = body["errors"]
    assert error["message"] == (
        "Variable '$first' has invalid value: Int cannot represent non-integer value: 'ten'"
    ), error
    assert error["extensions"] == {"code": "BAD_REQUEST"}  # not masked
