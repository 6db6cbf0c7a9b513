"""Schemathesis, in GraphQL mode, against the running server: every query and mutation.

Each operation gets CASES_PER_OPERATION generated documents (schemathesis' positive
mode: valid against the schema, arguments drawn by Hypothesis) and
NEGATIVE_CASES_PER_OPERATION invalid ones, from a fixed seed, sent with a fresh session
of a user who owns a fresh organization with an agent (with a tool), an API key, a
custom function, an invitation and a finished call, all made by the factories. Their ids,
the role keys and the permission strings are in schemathesis dictionaries bound to the
arguments of that kind (probability 0.7), so most generated arguments name real objects
and reach the resolvers' business logic instead of stopping at NOT_FOUND. A fresh world
per operation keeps one operation's damage (signOut, agentDelete) out of the next.

No answer may be a 5xx, and every error must be a public one (UNAUTHENTICATED,
FORBIDDEN, NOT_FOUND, BAD_REQUEST) or a pre-execution GraphQL error; a masked
INTERNAL_SERVER_ERROR fails too, since it means an input the API did not expect.
Nothing may carry a traceback, a file path or an exception's name.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import graphql
import httpx
import pytest
import pytest_asyncio
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from schemathesis import GenerationMode
from schemathesis.core.failures import Failure
from schemathesis.graphql import from_dict
from schemathesis.graphql.loaders import get_introspection_query

from core.call_events import CallStatus, StatusChanged, StatusSource
from core.services import calls, members
from tests.fuzz.helpers import JSON_VALUES, argument_paths, problems
from tests.support.factories import Account, Factories, unique_address, unique_email
from tests.support.graphql import GraphQLClient
from tests.support.ids import global_id
from tests.support.servers import RunningServer
from tests.support.waiting import DEADLINE

pytestmark = pytest.mark.slow

FUZZ_SEED = 20261121
CASES_PER_OPERATION = 15
NEGATIVE_CASES_PER_OPERATION = 3

schemathesis.graphql.scalar("JSON", JSON_VALUES)


def _root_fields() -> list[str]:
    """Every query and mutation in the committed schema (subscriptions are not fuzzed here)."""
    schema = graphql.build_schema((Path(__file__).parents[2] / "schema.graphql").read_text())
    return [
        f"{root.name}.{field}"
        for root in (schema.query_type, schema.mutation_type)
        if root is not None
        for field in root.fields
    ]


OPERATIONS = _root_fields()

KNOWN_VALUES = """
query Known {
  me { id memberships { id } }
  roles { id key permissions }
  platformTools { id name }
  plans { id }
}
"""

# Which objects' ids an argument is worth trying, by its name; an `id` argument by the
# field it belongs to (`agentUpdate.input.id` -> agents); anything else gets every id.
_BY_ARGUMENT = {
    "organizationId": "organization",
    "agentId": "agent",
    "membershipId": "membership",
    "toolId": "platformTool",
    "agentToolId": "agentTool",
    "functionIds": "customFunction",
    "planId": "plan",
    "callId": "call",
}
_BY_FIELD_PREFIX = (
    ("agentTool", "agentTool"),
    ("agentCustomFunctions", "agent"),
    ("agent", "agent"),
    ("apiKey", "apiKey"),
    ("customFunction", "customFunction"),
    ("invitation", "invitation"),
    ("call", "call"),
    ("organization", "organization"),
    ("member", "membership"),
    ("platformTool", "platformTool"),
)


def _ids_for(path: str, objects: dict[str, list[str]]) -> list[str]:
    _root, field, *argument = path.split(".")
    name = argument[-1].removesuffix("[*]")
    kind = _BY_ARGUMENT.get(name)
    if kind is None and name == "id":
        kind = next((k for prefix, k in _BY_FIELD_PREFIX if field.startswith(prefix)), None)
    return objects[kind] if kind else sorted({v for values in objects.values() for v in values})


@pytest_asyncio.fixture(scope="module")
async def introspection(server: RunningServer) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=server.base_url, timeout=DEADLINE) as http:
        response = await http.post("/graphql", json={"query": get_introspection_query()})
    assert response.status_code == 200, response.text
    return response.json()["data"]


@pytest_asyncio.fixture(scope="module")
async def owner(server: RunningServer, make: Factories) -> Account:
    # Verified: the fuzzer creates an organization for it per operation.
    return await make.account(name="Fuzz Owner", verified=True)


async def _world(
    gql: GraphQLClient, make: Factories, owner: Account
) -> tuple[str, dict[str, list[str]]]:
    """A fresh session and organization for one operation, and the values worth trying."""
    session = await make.session(owner.user)
    tenant = await make.tenant("Fuzz Org", owner=session)
    agent = await make.agent(tenant, name="Fuzz", system_prompt="Hi.")
    agent_tool = await make.agent_tool(agent, "google_calendar")
    api_key = await make.api_key(tenant, "member", name="fuzz")
    function = await make.custom_function(
        tenant,
        name="lookup_order",
        description="Look up an order.",
        parameters={"type": "object", "properties": {"id": {"type": "string"}}},
        method="GET",
        url_template="https://api.example.com/orders/{id}",
    )
    invitation = await members.invite(
        organization=tenant.organization,
        inviter=owner.user,
        email=unique_email(),
        role_key="member",
        granted_by=await make.owner_access(tenant),
        settings=make.settings,
    )
    call = await make.call(tenant, agent, status=CallStatus.COMPLETED, duration_seconds=42)
    # A finished call has its timeline (only a phone network makes one through the API).
    await calls.record_event(
        call_id=call.id,
        payload=StatusChanged(
            status=CallStatus.COMPLETED, previous_status=None, source=StatusSource.TWILIO
        ),
        bus=None,
    )
    known = await gql.data(KNOWN_VALUES, token=session.token)
    objects = {
        "organization": [tenant.organization_id],
        "agent": [global_id("Agent", agent.id)],
        "apiKey": [api_key.id],
        "customFunction": [global_id("CustomFunction", function.id)],
        "invitation": [global_id("Invitation", invitation.id)],
        "agentTool": [global_id("AgentTool", agent_tool.id)],
        "call": [global_id("Call", call.id)],
        "membership": [m["id"] for m in known["me"]["memberships"]],
        "user": [known["me"]["id"]],
        "role": [role["id"] for role in known["roles"]],
        "platformTool": [t["id"] for t in known["platformTools"]],
        "plan": [plan["id"] for plan in known["plans"]],
    }
    values = {
        "role": [role["key"] for role in known["roles"]],
        "permission": sorted({p for role in known["roles"] for p in role["permissions"]}),
    }
    return session.token, {"ids": objects, **values}  # type: ignore[dict-item]


def _load(introspection: dict[str, Any], base_url: str, world: dict[str, Any]):  # type: ignore[no-untyped-def]
    paths = argument_paths(graphql.build_client_schema(introspection))  # type: ignore[arg-type]
    dictionaries: dict[str, dict[str, list[str]]] = {}
    parameters: dict[str, dict[str, Any]] = {}
    for kind, kind_paths in paths.items():
        for path in kind_paths:
            entries = _ids_for(path, world["ids"]) if kind == "id" else world[kind]
            name = f"d{len(dictionaries)}"
            dictionaries[name] = {"values": entries}
            parameters[path] = {"dictionary": name, "probability": 0.7}
    config = schemathesis.Config.from_dict(
        {"base-url": f"{base_url}/graphql", "dictionaries": dictionaries, "parameters": parameters}
    )
    return from_dict(introspection, config=config)


def _fuzz(operation, headers: dict[str, str]) -> tuple[list[tuple[str, list[str]]], int]:  # type: ignore[no-untyped-def]
    """Send the generated cases (in a thread: the server runs on the test's event loop)."""
    found: list[tuple[str, list[str]]] = []
    sent = 0
    session = requests.Session()

    def check(case) -> None:  # type: ignore[no-untyped-def]
        nonlocal sent
        response = case.call(session=session, headers=headers, timeout=DEADLINE)
        sent += 1
        issues = problems(response.status_code, response.text)
        try:
            operation.schema.validate_response(operation, response, case=case)
        except Failure as failure:
            issues.append(f"schemathesis: {failure.title}: {failure.message}")
        if issues:
            found.append((str(case.body), issues))

    for mode, count in (
        (GenerationMode.POSITIVE, CASES_PER_OPERATION),
        (GenerationMode.NEGATIVE, NEGATIVE_CASES_PER_OPERATION),
    ):
        run = seed(FUZZ_SEED)(
            settings(
                max_examples=count,
                database=None,
                deadline=None,
                phases=[Phase.generate],
                suppress_health_check=list(HealthCheck),
            )(given(operation.as_strategy(generation_mode=mode))(check))
        )
        run()
    return found, sent


@pytest.mark.parametrize("label", OPERATIONS)
async def test_generated_requests_get_no_500_and_no_unmasked_error(
    server: RunningServer,
    gql: GraphQLClient,
    make: Factories,
    introspection: dict[str, Any],
    owner: Account,
    label: str,
) -> None:
    # given
    token, values = await _world(gql, make, owner)
    schema = _load(introspection, server.base_url, values)
    root, field = label.split(".")
    operation = schema[root][field]
    headers = {
        "Authorization": f"Bearer {token}",
        # Failed sign-ins among the cases are throttled per address: one per operation.
        "X-Forwarded-For": unique_address(),
    }

    # when
    found, sent = await asyncio.to_thread(_fuzz, operation, headers)

    # then
    assert sent > 0
    assert found == [], "\n\n".join(f"{body}\n  -> {issues}" for body, issues in found[:5])
