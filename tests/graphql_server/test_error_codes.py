"""Every GraphQL error carries `extensions.code`, whatever refused the request: the parser,
validation, a limit, the variables, authentication, permissions, a resolver, or the masker;
over HTTP and over the WebSocket alike."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from tests.support.factories import Tenant
from tests.support.hostile import (
    alias_flood,
    deep_query,
    directive_flood,
    field_flood,
    token_flood,
)
from tests.support.ids import fake_global_id
from tests.support.websocket import graphql_socket

AGENTS = (
    "query A($org: ID!, $first: Int, $after: String) { agents(organizationId: $org, "
    "first: $first, after: $after) { edges { cursor } } }"
)
NODES = "query N($ids: [ID!]!) { nodes(ids: $ids) { id } }"


@dataclass(frozen=True)
class Refusal:
    body: Callable[[Tenant], dict[str, Any]]
    code: str
    token: str = "owner"  # owner, member (role `billing`), or none


REFUSALS = {
    "syntax": Refusal(lambda t: {"query": "{ me { id "}, "GRAPHQL_PARSE_FAILED"),
    "unknown field": Refusal(lambda t: {"query": "{ nope }"}, "GRAPHQL_VALIDATION_FAILED"),
    "missing argument": Refusal(
        lambda t: {"query": "{ agent { id } }"}, "GRAPHQL_VALIDATION_FAILED"
    ),
    "wrong literal type": Refusal(
        lambda t: {"query": '{ agents(organizationId: "x", first: "ten") { totalCount } }'},
        "GRAPHQL_VALIDATION_FAILED",
    ),
    "variable of the wrong type": Refusal(
        lambda t: {"query": AGENTS, "variables": {"org": t.organization_id, "first": "ten"}},
        "BAD_REQUEST",
    ),
    "depth": Refusal(
        lambda t: {"query": deep_query(50), "variables": {"id": t.organization_id}}, "BAD_REQUEST"
    ),
    "aliases": Refusal(lambda t: {"query": alias_flood(100)}, "BAD_REQUEST"),
    "tokens": Refusal(lambda t: {"query": token_flood(2010)}, "BAD_REQUEST"),
    "fields": Refusal(lambda t: {"query": field_flood(1500)}, "BAD_REQUEST"),
    "directives": Refusal(lambda t: {"query": directive_flood(40)}, "BAD_REQUEST"),
    "document bytes": Refusal(lambda t: {"query": "{ __typename }" + "#" * 40_000}, "BAD_REQUEST"),
    "list items (literal)": Refusal(
        lambda t: {"query": "{ nodes(ids: [" + ", ".join(['"x"'] * 101) + "]) { id } }"},
        "BAD_REQUEST",
    ),
    "list items (variable)": Refusal(
        lambda t: {"query": NODES, "variables": {"ids": ["x"] * 101}}, "BAD_REQUEST"
    ),
    "page size": Refusal(
        lambda t: {"query": AGENTS, "variables": {"org": t.organization_id, "first": 101}},
        "BAD_REQUEST",
    ),
    "bad cursor": Refusal(
        lambda t: {"query": AGENTS, "variables": {"org": t.organization_id, "after": "nope"}},
        "BAD_REQUEST",
    ),
    "not signed in": Refusal(lambda t: {"query": "{ roles { key } }"}, "UNAUTHENTICATED", "none"),
    "not allowed": Refusal(
        lambda t: {"query": AGENTS, "variables": {"org": t.organization_id}}, "FORBIDDEN", "member"
    ),
    "not found": Refusal(
        lambda t: {
            "query": "query A($id: ID!) { agent(id: $id) { id } }",
            "variables": {"id": fake_global_id("Agent")},
        },
        "NOT_FOUND",
    ),
}


async def _token(make, tenant: Tenant, who: str) -> str | None:
    if who == "owner":
        return tenant.token
    if who == "member":
        return (await make.member(tenant, "billing")).token
    return None


@pytest.mark.parametrize("case", REFUSALS.values(), ids=list(REFUSALS))
async def test_every_refusal_over_http_has_its_code(gql, make, case):
    # given
    tenant = await make.tenant()
    token = await _token(make, tenant, case.token)

    # when
    response = await gql.http.post(
        "/graphql",
        json=case.body(tenant),
        headers={"authorization": f"Bearer {token}"} if token else {},
    )

    # then
    assert response.status_code == 200, response.text
    errors = response.json()["errors"]
    assert [error.get("extensions", {}).get("code") for error in errors] == [case.code], errors


async def test_an_unexpected_error_has_its_code(gql, make, monkeypatch):
    # given
    from core.services import roles

    async def broken_get_all():
        raise RuntimeError("boom")

    monkeypatch.setattr(roles, "get_all", broken_get_all)
    account = await make.account()

    # when
    body = await gql.execute("{ roles { key } }", token=account.token)

    # then
    assert [error["extensions"]["code"] for error in body["errors"]] == ["INTERNAL_SERVER_ERROR"]


WEBSOCKET_REFUSALS = {
    "unknown field": ("subscription { nope }", {}, "GRAPHQL_VALIDATION_FAILED"),
    "depth": (deep_query(50), "variables", "BAD_REQUEST"),
    "not found": (
        "subscription S($id: ID!) { callEvents(callId: $id) { seq } }",
        "call",
        "NOT_FOUND",
    ),
    "variable of the wrong type": (
        "subscription S($id: ID!) { callEvents(callId: $id) { seq } }",
        {"id": {"not": "an id"}},
        "BAD_REQUEST",
    ),
}


@pytest.mark.parametrize(
    ("query", "variables", "code"), WEBSOCKET_REFUSALS.values(), ids=list(WEBSOCKET_REFUSALS)
)
async def test_every_refusal_over_the_websocket_has_its_code(server, make, query, variables, code):
    # given
    tenant = await make.tenant()
    if variables == "variables":
        variables = {"id": tenant.organization_id}
    elif variables == "call":
        variables = {"id": fake_global_id("Call")}

    async with graphql_socket(server.ws_url, tenant.token) as socket:
        # when
        await socket.subscribe("1", query, variables)
        message = await socket.next("1")

    # then
    errors = message["payload"] if message["type"] == "error" else message["payload"]["errors"]
    assert [error.get("extensions", {}).get("code") for error in errors] == [code], message
