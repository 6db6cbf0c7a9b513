"""Secret header values go in sealed and never come out: not in responses, logs or tool output."""

from __future__ import annotations

import json

from core.services import custom_functions
from orm.models import CustomFunction
from tests.support.ids import global_id, uuid_of
from tests.support.logs import RecordingHandler, capture_logs
from tests.support.operations import (
    AGENT_CUSTOM_FUNCTIONS,
    CUSTOM_FUNCTION_CREATE,
    CUSTOM_FUNCTION_UPDATE,
    CUSTOM_FUNCTIONS,
)
from tests.tools_http.helpers import (
    CUSTOM_FUNCTION_NODE,
    agent_with_function,
    allowing_loopback,
    call_function,
    function_input,
    function_on_agent,
)

PLANTED = "sk-planted-7c1e9f02d4b8"


def assert_not_logged(logs: RecordingHandler, secret: str) -> None:
    assert logs.records, "expected some log records"
    for text in logs.texts():
        assert secret not in text


async def test_secret_headers_are_sealed_and_never_returned(gql, make):
    # given
    tenant = await make.tenant()
    agent = await make.agent(tenant)
    responses: list[str] = []

    # when
    with capture_logs() as logs:
        created = await gql.raw(
            CUSTOM_FUNCTION_CREATE,
            function_input(tenant.organization_id, secretHeaders={"X-Api-Key": PLANTED}),
            token=tenant.token,
        )
        responses.append(created.text)
        function = created.json()["data"]["customFunctionCreate"]["customFunction"]
        await custom_functions.set_for_agent(agent=agent, function_ids=[uuid_of(function["id"])])
        for query, variables in (
            (CUSTOM_FUNCTIONS, {"organizationId": tenant.organization_id}),
            (AGENT_CUSTOM_FUNCTIONS, {"id": global_id("Agent", agent.id)}),
            (CUSTOM_FUNCTION_NODE, {"id": function["id"]}),
            (CUSTOM_FUNCTION_UPDATE, {"input": {"id": function["id"], "description": "x"}}),
            # a refused replacement whose value is the planted secret plus a bad character
            (
                CUSTOM_FUNCTION_UPDATE,
                {"input": {"id": function["id"], "secretHeaders": {"X-Api-Key": PLANTED + "\n"}}},
            ),
            (
                CUSTOM_FUNCTION_CREATE,
                function_input(
                    tenant.organization_id,
                    name="other_fn",
                    secretHeaders={"X-Api-Key": PLANTED + "\r"},
                ),
            ),
        ):
            responses.append((await gql.raw(query, variables, token=tenant.token)).text)

    # then
    assert created.status_code == 200
    assert function["secretHeaderNames"] == ["X-Api-Key"]
    assert "secretHeaders" not in function
    for text in responses:
        assert PLANTED not in text
    listed, offered, node, updated, refused_update, refused_create = map(json.loads, responses[1:])
    assert [f["secretHeaderNames"] for f in listed["data"]["customFunctions"]] == [["X-Api-Key"]]
    assert offered["data"]["agent"]["customFunctions"] == [
        {"id": function["id"], "name": "lookup_order", "secretHeaderNames": ["X-Api-Key"]}
    ]
    assert node["data"]["node"]["id"] == function["id"]
    assert updated["data"]["customFunctionUpdate"]["errors"] == []
    for refused in (
        refused_update["data"]["customFunctionUpdate"],
        refused_create["data"]["customFunctionCreate"],
    ):
        assert refused["customFunction"] is None
        assert [(e["field"], e["code"]) for e in refused["errors"]] == [
            ("secretHeaders", "INVALID_HEADERS")
        ]
    assert_not_logged(logs, PLANTED)
    row = await CustomFunction.get(id=uuid_of(function["id"]))
    assert row.sealed_secret_headers.startswith("v1.")
    assert PLANTED not in row.sealed_secret_headers
    assert PLANTED not in json.dumps(row.headers)
    assert row.secret_header_names == ["X-Api-Key"]


async def test_the_schema_has_no_field_for_secret_values(gql, make):
    # given
    tenant, _, function = await agent_with_function(make, secret_headers={"X-Api-Key": PLANTED})

    # when
    body = await gql.execute(
        "query($id: ID!) { node(id: $id) { ... on CustomFunction { secretHeaders } } }",
        {"id": global_id("CustomFunction", function.id)},
        token=tenant.token,
    )

    # then
    assert body.get("data") is None
    assert [error["message"] for error in body["errors"]] == [
        "Cannot query field 'secretHeaders' on type 'CustomFunction'. "
        "Did you mean 'secretHeaderNames' or 'headers'?"
    ]
    assert PLANTED not in json.dumps(body)


async def test_a_call_with_a_secret_header_logs_and_echoes_nothing_secret(
    gql, make, server, target
):
    # given: one function that works and one whose service fails, both with a secret header
    target.reply("/orders/A-17", json={"status": "shipped"})
    target.reply("/broken/A-17", status=500, json={"error": "nope"})
    tenant, agent, _ = await agent_with_function(
        make,
        url_template=target.url("/orders/{order_id}"),
        secret_headers={"Authorization": f"Bearer {PLANTED}"},
    )
    await function_on_agent(
        make,
        tenant,
        agent,
        name="broken_lookup",
        url_template=target.url("/broken/{order_id}"),
        secret_headers={"Authorization": f"Bearer {PLANTED}"},
    )

    # when
    settings = allowing_loopback(server.settings)
    with capture_logs() as logs:
        ok = await call_function(agent, settings, "lookup_order", {"order_id": "A-17"})
        failed = await call_function(agent, settings, "broken_lookup", {"order_id": "A-17"})

    # then: the secret reached the service, and nowhere else
    assert [r.path for r in target.requests] == ["/orders/A-17", "/broken/A-17"]
    assert [r.headers["authorization"] for r in target.requests] == [f"Bearer {PLANTED}"] * 2
    assert (ok.is_error, ok.output) == (False, '{"status":"shipped"}')
    assert failed.is_error is True
    assert "answered with an error (500)" in failed.output
    assert_not_logged(logs, PLANTED)
    for outcome in (ok, failed):
        assert PLANTED not in outcome.output
        # Nor does the model see it anywhere in what it is sent.
        for request in outcome.llm.requests:
            assert PLANTED not in json.dumps(request.to_dict())


async def test_a_redirect_to_another_origin_does_not_carry_secret_headers(
    gql, make, server, target
):
    # given: localhost is another origin than 127.0.0.1, and both are allowed here
    target.redirect("/orders/hop", f"http://localhost:{target.port}/orders/landing")
    target.redirect("/orders/same", target.url("/orders/landing"))
    _, agent, _ = await agent_with_function(
        make,
        url_template=target.url("/orders/{order_id}"),
        headers={"X-Static": "plain"},
        secret_headers={"X-Api-Key": PLANTED, "Authorization": f"Bearer {PLANTED}"},
    )
    settings = server.settings.model_copy(
        update={"http_tool_allowed_networks": ["127.0.0.1/32", "::1/128"]}
    )

    # when
    elsewhere = await call_function(agent, settings, "lookup_order", {"order_id": "hop"})
    same_origin = await call_function(agent, settings, "lookup_order", {"order_id": "same"})

    # then
    assert (elsewhere.output, same_origin.output) == ('{"ok":true}', '{"ok":true}')
    first, landed_elsewhere, second, landed_here = target.requests
    assert [r.path for r in target.requests] == [
        "/orders/hop",
        "/orders/landing",
        "/orders/same",
        "/orders/landing",
    ]
    assert first.headers["x-api-key"] == second.headers["x-api-key"] == PLANTED
    assert landed_elsewhere.headers["host"] == f"localhost:{target.port}"
    assert "x-api-key" not in landed_elsewhere.headers
    assert "authorization" not in landed_elsewhere.headers
    assert landed_elsewhere.headers["x-static"] == "plain"
    # the same origin keeps them
    assert landed_here.headers["x-api-key"] == PLANTED
    assert landed_here.headers["authorization"] == f"Bearer {PLANTED}"
