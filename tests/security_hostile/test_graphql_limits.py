"""Hostile documents over HTTP: refused with a message naming the limit, before any resolver
reads data, and a burst of them leaves the server answering normal queries.

"Before any resolver" is measured in SQL: a refused request runs exactly the statements of
`{ __typename }` from the same principal (the authentication lookup), nothing more. An
oversized `first`, written literally or passed in a variable, is refused by its connection
(each has its own maximum) once the field is authorized and before it reads a row: its
error has the field's path, and only that field is null.

"The server stays up" is shown without a stopwatch: a normal query sent amid the burst is
answered, once the burst is answered no request of it is still running on the server, and a
normal query after it is answered too.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import pytest_asyncio

import graphql_api.limits
from tests.support.factories import Tenant
from tests.support.graphql import GraphQLClient
from tests.support.hostile import (
    TRIVIAL,
    alias_flood,
    burst,
    deep_query,
    directive_flood,
    field_flood,
    requests_in_flight,
    token_flood,
)
from tests.support.logs import sql_statements
from tests.support.operations import ME
from tests.support.waiting import DEADLINE, eventually

AGENTS_PAGE = """
query Agents($id: ID!, $first: Int) {
  agents(organizationId: $id, first: $first) { edges { node { id } } }
}
"""
CALLS_PAGE = """
query Calls($id: ID!) {
  calls(organizationId: $id, first: 10000) { edges { node { id } } }
}
"""
# Tables an oversized page would have read: none of their rows may be touched.
ROW_TABLES = ('"voice_agents"', '"calls"')
# What authorizing an organization-scoped field reads (membership, role permissions).
AUTHORIZATION_TABLES = ('"memberships"', '"role_permissions"')


@dataclass(frozen=True)
class Hostile:
    body: Callable[[str], Any]  # organization id -> the JSON body to POST
    status: int
    message: str  # the whole error message (HTTP 200) or response text (4xx)
    code: str | None = "BAD_REQUEST"  # extensions.code (HTTP 200)
    # Refused by this field, after authorization: its error has its path, it alone is null.
    refused_field: str | None = None


def _doc(query: str, variables: dict[str, Any] | None = None) -> Callable[[str], Any]:
    return lambda org: {"query": query, "variables": variables or {}}


CASES = {
    "deep nesting (50 levels)": Hostile(
        lambda org: {"query": deep_query(50), "variables": {"id": org}},
        200,
        "'Deep' exceeds maximum operation depth of 12",
    ),
    "alias flood (100 aliases)": Hostile(
        _doc(alias_flood(100)), 200, "100 aliases found. Allowed: 30"
    ),
    "field duplication (1,500 copies)": Hostile(
        _doc(field_flood(1500)), 200, "The document selects 1500 fields; the limit is 500."
    ),
    "directive flood (40 directives)": Hostile(
        _doc(directive_flood(40)), 200, "The document uses 40 directives; the limit is 30."
    ),
    "token flood (2,010 tokens)": Hostile(
        _doc(token_flood(2010)),
        200,
        "Syntax Error: Document contains more than 2000 tokens. Parsing aborted.",
    ),
    "first: 10000 on agents (variable)": Hostile(
        lambda org: {"query": AGENTS_PAGE, "variables": {"id": org, "first": 10000}},
        200,
        "`first` must be between 1 and 100.",
        refused_field="agents",
    ),
    "first: 10000 on calls (literal)": Hostile(
        lambda org: {"query": CALLS_PAGE, "variables": {"id": org}},
        200,
        "`first` must be between 1 and 100.",
        refused_field="calls",
    ),
    "batched operations (JSON array)": Hostile(
        lambda org: [{"query": TRIVIAL}, {"query": "query Me { me { id } }"}],
        400,
        "Batching is not enabled",
        code=None,
    ),
}


@dataclass
class Attacker:
    tenant: Tenant
    gql: GraphQLClient

    async def post(self, body: Any) -> httpx.Response:
        return await self.gql.http.post(
            "/graphql", json=body, headers={"Authorization": f"Bearer {self.tenant.token}"}
        )

    async def normal_query(self) -> None:
        """A normal, data-reading query, which must be answered (the suite's deadline)."""
        data = await asyncio.wait_for(self.gql.data(ME, token=self.tenant.token), DEADLINE)
        assert data["me"]["id"] == self.tenant.owner.user_id


@pytest_asyncio.fixture
async def attacker(gql, make) -> Attacker:
    """A signed-in owner of an organization: every hostile request is theirs."""
    return Attacker(await make.tenant("Hostile"), gql)


def _assert_refused(response: httpx.Response, case: Hostile) -> None:
    assert response.status_code == case.status, response.text
    if case.status != 200:
        assert response.text == case.message
        return
    body = response.json()
    if case.refused_field:
        assert body["data"] == {case.refused_field: None}
        assert [error["path"] for error in body["errors"]] == [[case.refused_field]]
    else:
        assert body["data"] is None
    assert [error["message"] for error in body["errors"]] == [case.message]
    assert [(error.get("extensions") or {}).get("code") for error in body["errors"]] == [case.code]


async def _nothing_left_running() -> None:
    await eventually(lambda: requests_in_flight() == 0, what="no request still running")


@pytest.mark.parametrize("case", CASES.values(), ids=list(CASES))
async def test_a_hostile_request_is_refused_before_any_resolver_and_the_server_stays_up(
    attacker: Attacker, case: Hostile
):
    # given: what authenticating this principal costs, and that the counter sees reads
    organization_id = attacker.tenant.organization_id
    with sql_statements() as baseline:
        assert (await attacker.post({"query": TRIVIAL})).json() == {"data": {"__typename": "Query"}}
    with sql_statements() as reading:
        page = await attacker.post(
            {"query": AGENTS_PAGE, "variables": {"id": organization_id, "first": 5}}
        )
    assert page.json() == {"data": {"agents": {"edges": []}}}
    assert any('"voice_agents"' in statement for statement in reading[len(baseline) :])

    # when
    with sql_statements() as during:
        response = await attacker.post(case.body(organization_id))

    # then (a) a clear error naming the limit
    _assert_refused(response, case)
    # (b) nothing beyond authentication ran (an oversized page: authorization, no rows)
    assert len(baseline) == 1, baseline
    assert during[: len(baseline)] == baseline
    extra = during[len(baseline) :]
    if case.refused_field:
        assert len(extra) == len(AUTHORIZATION_TABLES), extra
        for statement, table in zip(extra, AUTHORIZATION_TABLES, strict=True):
            assert table in statement, statement
        assert not any(table in s for s in during for table in ROW_TABLES), during
    else:
        assert len(during) == len(baseline), during
    # (c) amid 20 of them at once a normal query is answered; once they are refused, none of
    # them is still running on the server, and the next normal query is answered too
    _, refusals = await asyncio.gather(
        attacker.normal_query(), burst(lambda: attacker.post(case.body(organization_id)))
    )
    for refused in refusals:
        _assert_refused(refused, case)
    await _nothing_left_running()
    await attacker.normal_query()


class _ValidationSpy:
    """Counts the documents the server hands to graphql-core's validation (the step a
    thousand copies of one field would make compare every pair)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.documents = 0
        original = graphql_api.limits._cached_validate

        def counting():  # type: ignore[no-untyped-def]
            validate = original()

            def counted(*args: Any) -> Any:
                self.documents += 1
                return validate(*args)

            return counted

        monkeypatch.setattr(graphql_api.limits, "_cached_validate", counting)


async def test_an_anonymous_hostile_document_costs_no_sql_and_no_validation(
    attacker: Attacker, monkeypatch
):
    # given nobody signed in, and a count of the documents validated (a trivial one is)
    validation = _ValidationSpy(monkeypatch)
    assert (await attacker.gql.http.post("/graphql", json={"query": TRIVIAL})).json() == {
        "data": {"__typename": "Query"}
    }
    assert validation.documents == 1

    # when
    with sql_statements() as during:
        response = await attacker.gql.http.post("/graphql", json={"query": field_flood(1500)})

    # then: refused on its size alone, before validation, without any SQL, leaving nothing
    # running
    assert response.json()["errors"][0]["message"] == (
        "The document selects 1500 fields; the limit is 500."
    )
    assert during == []
    assert validation.documents == 1
    await _nothing_left_running()
