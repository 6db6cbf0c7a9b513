"""Worker side: what a custom HTTP function sends, and what the model gets back.

Each test loads the agent's functions with `load_custom_functions` (as the
worker does) and runs them in an AgentSession driven by a scripted model, so
the function-call output asserted here is exactly what the model reads. The
fake target is on 127.0.0.1, so the settings allow that one address.
"""

from __future__ import annotations

import json

from orm.models import CustomFunction
from tests.support.factories import ORDER_PARAMETERS
from tests.support.waiting import DEADLINE
from tests.tools_http.helpers import agent_with_function, allowing_loopback, call_function
from worker.tools.http_functions import USER_AGENT, load_custom_functions

CART_PARAMETERS = {
    "type": "object",
    "properties": {
        "cart_id": {"type": "string"},
        "sku": {"type": "string"},
        "quantity": {"type": "integer", "minimum": 1},
        "gift": {"type": "boolean"},
        "note": {"type": ["string", "null"]},
    },
    "required": ["cart_id", "sku", "quantity"],
}


async def test_get_fills_and_encodes_the_url_and_puts_the_rest_in_the_query(make, server, target):
    # given
    target.reply("/orders/A 1/ä%3F%23&", json={"status": "shipped", "items": [1, 2]})
    parameters = {
        **ORDER_PARAMETERS,
        "properties": {
            **ORDER_PARAMETERS["properties"],
            "tags": {"type": "array"},
            "note": {"type": "string"},
            "empty": {"type": ["string", "null"]},
        },
    }
    _, agent, _ = await agent_with_function(
        make,
        parameters=parameters,
        url_template=target.url("/orders/{order_id}?fixed=1"),
        headers={"X-Client": "voice-agent"},
        secret_headers={"Authorization": "Bearer static-token-1"},
    )

    # when
    outcome = await call_function(
        agent,
        allowing_loopback(server.settings),
        "lookup_order",
        {
            "order_id": "A 1/ä?#&",
            "verbose": True,
            "tags": ["a", "b"],
            "note": "x&y=z",
            "empty": None,
        },
    )

    # then
    assert (outcome.is_error, outcome.output) == (False, '{"status":"shipped","items":[1,2]}')
    [request] = target.requests
    assert request.method == "GET"
    # every reserved character of the value is escaped: it stays one path segment
    assert request.raw_path == "/orders/A%201%2F%C3%A4%3F%23%26"
    assert request.query == {"fixed": "1", "verbose": "true", "tags": '["a", "b"]', "note": "x&y=z"}
    assert request.body == b""
    assert request.headers["x-client"] == "voice-agent"
    assert request.headers["authorization"] == "Bearer static-token-1"
    assert request.headers["user-agent"] == USER_AGENT


async def test_a_placeholder_in_the_query_string_is_kept(make, server, target):
    # given: every argument is a placeholder, so nothing is left for the query
    _, agent, _ = await agent_with_function(
        make,
        url_template=target.url("/search?v=2&order={order_id}"),
        parameters={"type": "object", "properties": {"order_id": {"type": "string"}}},
    )

    # when
    outcome = await call_function(
        agent, allowing_loopback(server.settings), "lookup_order", {"order_id": "a&b=c"}
    )

    # then
    assert outcome.is_error is False
    [request] = target.requests
    assert request.raw_query == "v=2&order=a%26b%3Dc"
    assert request.query == {"v": "2", "order": "a&b=c"}


async def test_post_sends_the_rest_as_a_json_body(make, server, target):
    # given
    target.reply("/carts/c-9/items", json={"added": True, "total": 3})
    _, agent, _ = await agent_with_function(
        make,
        name="add_to_cart",
        method="POST",
        parameters=CART_PARAMETERS,
        url_template=target.url("/carts/{cart_id}/items"),
        secret_headers={"X-Api-Key": "key-123"},
    )

    # when
    outcome = await call_function(
        agent,
        allowing_loopback(server.settings),
        "add_to_cart",
        {"cart_id": "c-9", "sku": "SKU 1", "quantity": 2, "gift": False, "note": None},
    )

    # then
    assert (outcome.is_error, outcome.output) == (False, '{"added":true,"total":3}')
    [request] = target.requests
    assert (request.method, request.path, request.query) == ("POST", "/carts/c-9/items", {})
    assert request.headers["content-type"] == "application/json"
    assert request.headers["x-api-key"] == "key-123"
    assert request.json == {"sku": "SKU 1", "quantity": 2, "gift": False, "note": None}


async def test_put_patch_and_delete(make, server, target):
    # given
    settings = allowing_loopback(server.settings)
    results = {}
    for method in ("PUT", "PATCH", "DELETE"):
        _, agent, _ = await agent_with_function(
            make,
            name=f"{method.lower()}_order",
            method=method,
            url_template=target.url("/orders/{order_id}"),
        )
        # when
        results[method] = await call_function(
            agent, settings, f"{method.lower()}_order", {"order_id": "7", "verbose": False}
        )

    # then
    assert [(r.method, r.path, r.query, r.json) for r in target.requests] == [
        ("PUT", "/orders/7", {}, {"verbose": False}),
        ("PATCH", "/orders/7", {}, {"verbose": False}),
        ("DELETE", "/orders/7", {"verbose": "false"}, None),
    ]
    assert all(r.output == '{"ok":true}' and not r.is_error for r in results.values())


async def test_the_model_sees_the_tool_as_defined(make, server, target):
    # given
    _, agent, _ = await agent_with_function(make, url_template=target.url("/orders/{order_id}"))

    # when
    tools, skipped = await load_custom_functions(agent_id=agent.id, settings=server.settings)
    outcome = await call_function(
        agent, allowing_loopback(server.settings), "lookup_order", {"order_id": "1"}
    )

    # then
    assert skipped == []
    [tool] = tools
    assert tool.info.raw_schema == {
        "name": "lookup_order",
        "description": "Look up an order by its number.",
        "parameters": ORDER_PARAMETERS,
    }
    assert outcome.llm.tools_seen[0] == ["lookup_order"]
    second_request = outcome.llm.requests[1].to_dict()
    outputs = [item for item in second_request["items"] if item["type"] == "function_call_output"]
    assert [(o["name"], o["output"], o["is_error"]) for o in outputs] == [
        ("lookup_order", '{"ok":true}', False)
    ]


async def test_inactive_functions_and_other_agents_functions_are_not_loaded(make, server):
    # given
    _, agent, function = await agent_with_function(make)
    _, other, _ = await agent_with_function(make, name="someone_elses")
    await CustomFunction.filter(id=function.id).update(is_active=False)

    # when
    mine, _ = await load_custom_functions(agent_id=agent.id, settings=server.settings)
    theirs, _ = await load_custom_functions(agent_id=other.id, settings=server.settings)

    # then
    assert mine == []
    assert [tool.info.name for tool in theirs] == ["someone_elses"]


async def test_a_huge_answer_is_cut_with_a_note(make, server, target):
    # given
    settings = allowing_loopback(server.settings)
    limit = settings.http_tool_max_response_bytes
    target.huge("/orders/big", size=limit * 5)
    _, agent, _ = await agent_with_function(make, url_template=target.url("/orders/{order_id}"))

    # when
    outcome = await call_function(agent, settings, "lookup_order", {"order_id": "big"})

    # then
    assert outcome.is_error is False
    note = "\n[the answer was cut here: it was too long]"
    assert outcome.output.endswith(note)
    kept = outcome.output[: -len(note)]
    assert len(kept.encode()) == limit
    assert kept.startswith('["item-0000000", "item-0000001"')


async def test_an_answer_at_the_cap_is_whole(make, server, target):
    # given: a JSON document of exactly the cap, pretty-printed by the service
    settings = allowing_loopback(server.settings)
    limit = settings.http_tool_max_response_bytes
    document = {"filler": "", "done": True}
    document["filler"] = "x" * (limit - len(json.dumps(document, indent=2)))
    assert len(json.dumps(document, indent=2)) == limit
    target.reply("/orders/exact", json=None)
    target.answers["/orders/exact"].body = json.dumps(document, indent=2).encode()
    _, agent, _ = await agent_with_function(make, url_template=target.url("/orders/{order_id}"))

    # when
    outcome = await call_function(agent, settings, "lookup_order", {"order_id": "exact"})

    # then: compact JSON, nothing cut
    assert outcome.is_error is False
    assert outcome.output == json.dumps(document, separators=(",", ":"))


async def test_a_non_json_answer_is_passed_as_text(make, server, target):
    # given
    target.reply("/orders/plain", json=None)
    target.answers["/orders/plain"].body = b"Order plain: shipped"
    target.answers["/orders/plain"].content_type = "text/plain"
    _, agent, _ = await agent_with_function(make, url_template=target.url("/orders/{order_id}"))

    # when
    outcome = await call_function(
        agent, allowing_loopback(server.settings), "lookup_order", {"order_id": "plain"}
    )

    # then
    assert (outcome.is_error, outcome.output) == (False, "Order plain: shipped")


async def test_a_slow_service_times_out(make, server, target):
    # given: a service that would answer long after any deadline of this suite (the fake lets
    # its slow answers go when it stops)
    target.slow("/orders/slow", seconds=10 * DEADLINE)
    _, agent, _ = await agent_with_function(
        make, url_template=target.url("/orders/{order_id}"), timeout_seconds=0.5
    )

    # when
    outcome = await call_function(
        agent, allowing_loopback(server.settings), "lookup_order", {"order_id": "slow"}
    )

    # then: the function gave up while the service had not answered yet
    assert outcome.is_error is True
    assert "took too long" in outcome.output
    [request] = target.requests_to("/orders/slow")
    assert request.answered is False
    assert "late" not in outcome.output


async def test_a_server_error_is_reported_to_the_model(make, server, target):
    # given
    target.reply("/orders/boom", status=500, json={"error": "internal details here"})
    _, agent, _ = await agent_with_function(make, url_template=target.url("/orders/{order_id}"))

    # when
    outcome = await call_function(
        agent, allowing_loopback(server.settings), "lookup_order", {"order_id": "boom"}
    )

    # then
    assert outcome.is_error is True
    assert "answered with an error (500)" in outcome.output
    assert "internal details" not in outcome.output


async def test_a_client_error_is_reported_too(make, server, target):
    # given
    target.reply("/orders/none", status=404, json={"error": "no such order"})
    _, agent, _ = await agent_with_function(make, url_template=target.url("/orders/{order_id}"))

    # when
    outcome = await call_function(
        agent, allowing_loopback(server.settings), "lookup_order", {"order_id": "none"}
    )

    # then
    assert outcome.is_error is True
    assert "answered with an error (404)" in outcome.output


async def test_an_unreachable_service_is_reported(make, server, target):
    # given: the allowed address, but the service is down (its port closed)
    _, agent, _ = await agent_with_function(make, url_template=target.url("/orders/{order_id}"))
    await target.stop()

    # when
    outcome = await call_function(
        agent, allowing_loopback(server.settings), "lookup_order", {"order_id": "1"}
    )

    # then
    assert outcome.is_error is True
    assert "could not be reached" in outcome.output
    assert target.requests == []


async def test_arguments_that_break_the_schema_never_reach_the_service(make, server, target):
    # given
    _, agent, _ = await agent_with_function(
        make,
        name="add_to_cart",
        method="POST",
        parameters=CART_PARAMETERS,
        url_template=target.url("/carts/{cart_id}/items"),
    )
    settings = allowing_loopback(server.settings)

    # when
    missing = await call_function(agent, settings, "add_to_cart", {"cart_id": "c1", "sku": "s"})
    wrong_type = await call_function(
        agent, settings, "add_to_cart", {"cart_id": "c1", "sku": "s", "quantity": "two"}
    )
    too_small = await call_function(
        agent, settings, "add_to_cart", {"cart_id": "c1", "sku": "s", "quantity": 0}
    )

    # then
    assert missing.is_error and "quantity" in missing.output
    assert wrong_type.is_error and "two" in wrong_type.output
    assert too_small.is_error and "0" in too_small.output
    assert target.requests == []
