"""With production settings no error suggests a name or repeats what the caller sent:
neither validation errors nor graphql-core's coercion of variables (an enum value, an
unknown input field, a scalar of the wrong kind), over HTTP and over WebSocket. And an
unknown fragment is named as such instead of leaking a bare `'Nope'`.

Development still suggests (`Did you mean …?`), which proves the refusals below come from
the production settings.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
import pytest_asyncio

from tests.support.hostile import production_settings
from tests.support.logs import capture_logs
from tests.support.servers import asgi_client, running_app
from tests.support.websocket import graphql_socket

ECHO = "echo-me-3141"  # a value the caller sent: it must not come back
CALLS = """
query Calls($organizationId: ID!, $status: [CallStatus!], $first: Int, $from: DateTime) {
  calls(organizationId: $organizationId, status: $status, first: $first, from: $from) {
    edges { cursor }
  }
}
"""
AGENT_UPDATE = """
mutation AgentUpdate($input: AgentUpdateInput!) { agentUpdate(input: $input) { errors { code } } }
"""


def _calls(**variables: Any) -> tuple[str, dict[str, Any]]:
    return CALLS, {"organizationId": "T3JnYW5pemF0aW9uOng=", **variables}


# document and variables, then every message production answers
CASES: dict[str, tuple[tuple[str, dict[str, Any]], list[str]]] = {
    "misspelt enum value in a variable": (
        _calls(status=["RINGNG"]),
        ["Variable '$status' has invalid value at [0]: Value does not exist in 'CallStatus' enum."],
    ),
    "misspelt enum value in a literal": (
        ('query { calls(organizationId: "x", status: [RINGNG]) { edges { cursor } } }', {}),
        ["Value does not exist in 'CallStatus' enum."],
    ),
    "a string for an enum in a literal": (
        ('query { calls(organizationId: "x", status: ["RINGING"]) { edges { cursor } } }', {}),
        ["Enum 'CallStatus' cannot represent non-enum value."],
    ),
    "unknown input field in a variable": (
        (AGENT_UPDATE, {"input": {"id": "x", "sytemPrompt": ECHO}}),
        [
            "Variable '$input' has invalid value: Expected value of type 'AgentUpdateInput' not "
            "to include unknown field 'sytemPrompt'."
        ],
    ),
    "unknown input field in a literal": (
        (
            "mutation { agentUpdate(input: "
            f'{{id: "x", sytemPrompt: "{ECHO}"}}) {{ errors {{ code }} }} }}',
            {},
        ),
        ["Expected value of type 'AgentUpdateInput' not to include unknown field 'sytemPrompt'."],
    ),
    "missing required field in a variable": (
        (AGENT_UPDATE, {"input": {"name": ECHO}}),
        [
            "Variable '$input' has invalid value: Expected value of type 'AgentUpdateInput' to "
            "include required field 'id'."
        ],
    ),
    "a string for an input object": (
        (AGENT_UPDATE, {"input": ECHO}),
        [
            "Variable '$input' has invalid value: Expected value of type 'AgentUpdateInput' to "
            "be an object."
        ],
    ),
    "a string for an Int": (
        _calls(first=ECHO),
        ["Variable '$first' has invalid value: Int cannot represent non-integer value."],
    ),
    "an object for an ID": (
        (CALLS, {"organizationId": {"secret": ECHO}}),
        ["Variable '$organizationId' has invalid value: ID cannot represent value."],
    ),
    "a bad DateTime": (
        _calls(**{"from": ECHO}),
        ["Variable '$from' has invalid value: Value cannot represent a DateTime."],
    ),
    "misspelt type of a variable": (
        ("query Q($x: Strin) { __typename }", {}),
        ["Variable '$x' is never used in operation 'Q'.", "Unknown type 'Strin'."],
    ),
}


@pytest_asyncio.fixture(scope="module")
async def production(server):
    async with asgi_client(
        production_settings(server.settings.database_url), base_url="http://production.test"
    ) as app:
        yield app.http


@pytest.mark.parametrize(("request_", "messages"), CASES.values(), ids=list(CASES))
async def test_production_errors_neither_suggest_nor_echo(production, make, request_, messages):
    # given a caller with a key (production does not share the suite's JWT secret)
    key = await make.api_key(await make.tenant())
    query, variables = request_

    # when
    with capture_logs(level=logging.ERROR) as errors:
        response = await production.post(
            "/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {key.key}"},
        )

    # then
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    assert [error["message"] for error in body["errors"]] == messages
    assert "Did you mean" not in response.text
    assert ECHO not in response.text
    assert errors.records == []


async def test_development_still_suggests(gql, make):
    # given
    account = await make.account()
    query, variables = CASES["misspelt enum value in a variable"][0]

    # when
    body = await gql.execute(query, variables, token=account.token)

    # then
    assert "Did you mean the enum value 'RINGING'?" in body["errors"][0]["message"]


async def test_production_errors_over_websocket_neither_suggest_nor_echo(server, make):
    # given
    key = await make.api_key(await make.tenant())
    settings = production_settings(server.settings.database_url)
    async with running_app(settings) as app, graphql_socket(app.ws_url, key.key) as socket:
        # when
        enum_query, enum_variables = CASES["misspelt enum value in a variable"][0]
        await socket.subscribe("enum", enum_query, enum_variables)
        await socket.subscribe("field", AGENT_UPDATE, {"input": {"id": "x", "sytemPrompt": ECHO}})
        enum, field = await socket.next("enum"), await socket.next("field")

    # then: the variables' errors are the result of each operation
    for answer, case in (
        (enum, "misspelt enum value in a variable"),
        (field, "unknown input field in a variable"),
    ):
        assert answer["type"] == "next", answer
        assert answer["payload"]["data"] is None
        assert [error["message"] for error in answer["payload"]["errors"]] == CASES[case][1]


@pytest.mark.parametrize(
    "query",
    ["{ ...Nope }", "query Q { me { ...Nope } }", "query Q { ...Nope __typename }"],
)
async def test_an_unknown_fragment_is_a_validation_error(gql, query):
    # when
    with capture_logs(level=logging.ERROR) as errors:
        body = await gql.execute(query)

    # then
    assert body["data"] is None
    assert [error["message"] for error in body["errors"]] == ["Unknown fragment 'Nope'."]
    assert errors.records == []


async def test_an_exception_escaping_validation_is_masked_and_logged_once(gql, monkeypatch):
    # given a validation step that fails in a way nobody planned for (as the depth limiter
    # did on an unknown fragment): the operation ends before the masking extension sees it
    import graphql_api.limits

    def broken_validation():  # type: ignore[no-untyped-def]
        def validate(*_: Any) -> Any:
            raise KeyError(ECHO)

        return validate

    monkeypatch.setattr(graphql_api.limits, "_cached_validate", broken_validation)

    # when
    with capture_logs("graphql_api.errors", level=logging.ERROR) as errors:
        body = await gql.execute("query Fine { __typename }")

    # then: the client sees a reference, never the exception's text
    [error] = body["errors"]
    assert error["message"].startswith("Unexpected error. Reference: "), error
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert ECHO not in str(body)
    assert len(errors.records) == 1
    assert error["extensions"]["reference"] in errors.records[0].getMessage()
