"""Secret header values go in sealed and never come out: not in responses, logs or tool output."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from orm.models import CustomFunction
from tests.organizations.helpers import uuid_of
from tests.tools_http.helpers import (
    AGENT_CUSTOM_FUNCTIONS,
    CUSTOM_FUNCTION_CREATE,
    CUSTOM_FUNCTION_UPDATE,
    CUSTOM_FUNCTIONS,
    NODE,
    agent_with_function,
    allowing_loopback,
    call_function,
    function_input,
    set_agent_functions,
    workspace,
)

PLANTED = "sk-planted-7c1e9f02d4b8"


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _record_text(record: logging.LogRecord) -> str:
    # The message, its arguments and every `extra` attribute.
    return record.getMessage() + " " + repr(vars(record))


@contextmanager
def captured_logs() -> Iterator[_Collect]:
    """Every record that reaches the root logger, at any level, while the block runs."""
    handler = _Collect()
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(previous_level)


def assert_not_logged(handler: _Collect, secret: str) -> None:
    assert handler.records, "expected some log records"
    for record in handler.records:
        assert secret not in _record_text(record), record


async def test_secret_headers_are_sealed_and_never_returned(gql, server):
    # given
    space = await workspace(gql)
    responses: list[str] = []

    # when
    with captured_logs() as logs:
        created = await gql.raw(
            CUSTOM_FUNCTION_CREATE,
            function_input(space.organization_id, secretHeaders={"X-Api-Key": PLANTED}),
            token=space.owner.token,
        )
        responses.append(created.text)
        function = created.json()["data"]["customFunctionCreate"]["customFunction"]
        await set_agent_functions(gql, space.owner, space.agent_id, [function["id"]])
        for query, variables in (
            (CUSTOM_FUNCTIONS, {"organizationId": space.organization_id}),
            (AGENT_CUSTOM_FUNCTIONS, {"id": space.agent_id}),
            (NODE, {"id": function["id"]}),
            (CUSTOM_FUNCTION_UPDATE, {"input": {"id": function["id"], "description": "x"}}),
            # a refused replacement whose value is the planted secret plus a bad character
            (
                CUSTOM_FUNCTION_UPDATE,
                {"input": {"id": function["id"], "secretHeaders": {"X-Api-Key": PLANTED + "\n"}}},
            ),
            (
                CUSTOM_FUNCTION_CREATE,
                function_input(
                    space.organization_id,
                    name="other_fn",
                    secretHeaders={"X-Api-Key": PLANTED + "\r"},
                ),
            ),
        ):
            responses.append((await gql.raw(query, variables, token=space.owner.token)).text)

    # then
    assert function["secretHeaderNames"] == ["X-Api-Key"]
    assert "secretHeaders" not in function
    for text in responses:
        assert PLANTED not in text
    assert '"code":"INVALID_HEADERS"' in responses[-1].replace(" ", "")
    assert_not_logged(logs, PLANTED)
    row = await CustomFunction.get(id=uuid_of(function["id"]))
    assert row.sealed_secret_headers.startswith("v1.")
    assert PLANTED not in row.sealed_secret_headers
    assert PLANTED not in json.dumps(row.headers)
    assert row.secret_header_names == ["X-Api-Key"]


async def test_the_schema_has_no_field_for_secret_values(gql):
    # given
    space, function = await agent_with_function(gql, secretHeaders={"X-Api-Key": PLANTED})

    # when
    body = await gql.execute(
        "query($id: ID!) { node(id: $id) { ... on CustomFunction { secretHeaders } } }",
        {"id": function["id"]},
        token=space.owner.token,
    )

    # then
    assert body.get("data") is None
    assert "secretHeaders" in body["errors"][0]["message"]
    assert PLANTED not in json.dumps(body)


async def test_a_call_with_a_secret_header_logs_and_echoes_nothing_secret(gql, server, target):
    # given
    target.reply("/orders/A-17", json={"status": "shipped"})
    target.reply("/broken/A-17", status=500, json={"error": "nope"})
    space, _ = await agent_with_function(
        gql,
        urlTemplate=target.url("/orders/{order_id}"),
        secretHeaders={"Authorization": f"Bearer {PLANTED}"},
    )
    failing = await gql.data(
        CUSTOM_FUNCTION_CREATE,
        function_input(
            space.organization_id,
            name="broken_lookup",
            urlTemplate=target.url("/broken/{order_id}"),
            secretHeaders={"Authorization": f"Bearer {PLANTED}"},
        ),
        token=space.owner.token,
    )
    ids = [
        f["id"]
        for f in (
            await gql.data(
                CUSTOM_FUNCTIONS, {"organizationId": space.organization_id}, token=space.owner.token
            )
        )["customFunctions"]
    ]
    assert failing["customFunctionCreate"]["errors"] == []
    await set_agent_functions(gql, space.owner, space.agent_id, ids)

    # when
    settings = allowing_loopback(server.settings)
    with captured_logs() as logs:
        ok = await call_function(space, settings, "lookup_order", {"order_id": "A-17"})
        failed = await call_function(space, settings, "broken_lookup", {"order_id": "A-17"})

    # then: the secret reached the service, and nowhere else
    assert [r.headers["authorization"] for r in target.requests] == [f"Bearer {PLANTED}"] * 2
    assert (ok.is_error, ok.output) == (False, '{"status":"shipped"}')
    assert failed.is_error is True
    assert_not_logged(logs, PLANTED)
    for outcome in (ok, failed):
        assert PLANTED not in outcome.output
        # Nor does the model see it anywhere in what it is sent.
        for request in outcome.llm.requests:
            assert PLANTED not in json.dumps(request.to_dict())


async def test_a_redirect_to_another_origin_does_not_carry_secret_headers(gql, server, target):
    # given: localhost is another origin than 127.0.0.1, and both are allowed here
    target.redirect("/orders/hop", f"http://localhost:{target.port}/orders/landing")
    target.redirect("/orders/same", target.url("/orders/landing"))
    space, _ = await agent_with_function(
        gql,
        urlTemplate=target.url("/orders/{order_id}"),
        headers={"X-Static": "plain"},
        secretHeaders={"X-Api-Key": PLANTED, "Authorization": f"Bearer {PLANTED}"},
    )
    settings = server.settings.model_copy(
        update={"http_tool_allowed_networks": ["127.0.0.1/32", "::1/128"]}
    )

    # when
    elsewhere = await call_function(space, settings, "lookup_order", {"order_id": "hop"})
    same_origin = await call_function(space, settings, "lookup_order", {"order_id": "same"})

    # then
    assert (elsewhere.output, same_origin.output) == ('{"ok":true}', '{"ok":true}')
    first, landed_elsewhere, second, landed_here = target.requests
    assert first.headers["x-api-key"] == second.headers["x-api-key"] == PLANTED
    assert landed_elsewhere.headers["host"] == f"localhost:{target.port}"
    assert "x-api-key" not in landed_elsewhere.headers
    assert "authorization" not in landed_elsewhere.headers
    assert landed_elsewhere.headers["x-static"] == "plain"
    # the same origin keeps them
    assert landed_here.headers["x-api-key"] == PLANTED
    assert landed_here.headers["authorization"] == f"Bearer {PLANTED}"
