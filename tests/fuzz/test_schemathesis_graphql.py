"""Schemathesis, in GraphQL mode, against the running server: every query and mutation.

Each operation gets CASES_PER_OPERATION generated documents (schemathesis' positive
mode: valid against the schema, arguments drawn by Hypothesis) and
NEGATIVE_CASES_PER_OPERATION invalid ones, from a fixed seed, sent with a fresh session
of a user who owns a fresh organization with an agent (with a tool), an API key, a
custom function, an invitation and a finished call. Their ids, the role keys and the
permission strings are in schemathesis dictionaries bound to the arguments of that kind
(probability 0.7), so most generated arguments name real objects and reach the
resolvers' business logic instead of stopping at NOT_FOUND. A fresh world per
operation keeps one operation's damage (signOut, agentDelete) out of the next.

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

from core import events
from core.security.tokens import AccessTokenCodec
from core.services import calls, sessions
from core.settings import Settings
from graphql_api import ids
from orm.models import Call, User, VoiceAgent
from tests.conftest import (
    Account,
    GraphQLClient,
    RunningServer,
    create_organization,
    sign_up,
    unique_email,
)
from tests.fuzz.helpers import JSON_VALUES, argument_paths, problems

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

SEED_OBJECTS = """
mutation Seed(
  $agent: AgentCreateInput!, $key: ApiKeyCreateInput!,
  $function: CustomFunctionCreateInput!, $invite: MemberInviteInput!
) {
  agentCreate(input: $agent) { agent { id } errors { code } }
  apiKeyCreate(input: $key) { apiKey { id } errors { code } }
  customFunctionCreate(input: $function) { customFunction { id } errors { code } }
  memberInvite(input: $invite) { invitation { id } errors { code } }
}
"""

SEED_TOOL = """
mutation SeedTool($input: AgentToolConfigureInput!) {
  agentToolConfigure(input: $input) { agentTool { id } errors { code } }
}
"""

KNOWN_VALUES = """
query Known {
  me { id memberships { id } }
  roles { id key permissions }
  platformTools { id name }
  plans { id }
}
"""

CALENDAR_CONFIG = {
    "calendar_id": "front-desk@example.com",
    "time_zone": "Europe/Berlin",
    "default_duration_minutes": 30,
    "business_hours": {"start": "09:00", "end": "17:00", "days": [1, 2, 3, 4, 5]},
}

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
    async with httpx.AsyncClient(base_url=server.base_url, timeout=20) as http:
        response = await http.post("/graphql", json={"query": get_introspection_query()})
    assert response.status_code == 200, response.text
    return response.json()["data"]


@pytest_asyncio.fixture(scope="module")
async def owner_email(server: RunningServer) -> str:
    async with httpx.AsyncClient(base_url=server.base_url, timeout=20) as http:
        return (await sign_up(GraphQLClient(http), name="Fuzz Owner")).email


async def _world(
    gql: GraphQLClient, settings: Settings, email: str
) -> tuple[str, dict[str, list[str]]]:
    """A fresh session and organization for one operation, and the values worth trying."""
    # A new session of the owner (what signIn does, without hashing the password again).
    user = await User.get(email=email)
    token = (
        await sessions.start(user=user, codec=AccessTokenCodec(settings), settings=settings)
    ).access_token
    organization_id = await create_organization(gql, Account("", email, token, ""), "Fuzz Org")
    created = await gql.data(
        SEED_OBJECTS,
        {
            "agent": {"organizationId": organization_id, "name": "Fuzz", "systemPrompt": "Hi."},
            "key": {"organizationId": organization_id, "name": "fuzz", "role": "member"},
            "function": {
                "organizationId": organization_id,
                "name": "lookup_order",
                "description": "Look up an order.",
                "parameters": {"type": "object", "properties": {"id": {"type": "string"}}},
                "method": "GET",
                "urlTemplate": "https://api.example.com/orders/{id}",
            },
            "invite": {
                "organizationId": organization_id,
                "email": unique_email(),
                "role": "member",
            },
        },
        token=token,
    )
    assert all(payload["errors"] == [] for payload in created.values()), created
    known = await gql.data(KNOWN_VALUES, token=token)
    agent_id = created["agentCreate"]["agent"]["id"]
    calendar = next(t["id"] for t in known["platformTools"] if t["name"] == "google_calendar")
    tool = await gql.data(
        SEED_TOOL,
        {"input": {"agentId": agent_id, "toolId": calendar, "config": CALENDAR_CONFIG}},
        token=token,
    )
    assert tool["agentToolConfigure"]["errors"] == [], tool
    objects = {
        "organization": [organization_id],
        "agent": [agent_id],
        "apiKey": [created["apiKeyCreate"]["apiKey"]["id"]],
        "customFunction": [created["customFunctionCreate"]["customFunction"]["id"]],
        "invitation": [created["memberInvite"]["invitation"]["id"]],
        "agentTool": [tool["agentToolConfigure"]["agentTool"]["id"]],
        "call": [await _recorded_call(agent_id)],
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
    return token, {"ids": objects, **values}  # type: ignore[dict-item]


async def _recorded_call(agent_global_id: str) -> str:
    """A finished inbound call with one event (only a phone network makes one through the API)."""
    agent = await VoiceAgent.get(id=ids.decode_any(agent_global_id)[1])  # type: ignore[index]
    call = await Call.create(
        organization_id=agent.organization_id,  # type: ignore[attr-defined]
        agent=agent,
        direction="inbound",
        from_number="+14155550100",
        to_number="+14155550199",
        status="completed",
        snapshot=await calls.snapshot_of(agent),
        duration_seconds=42,
    )
    await calls.record_event(
        call_id=call.id,
        type=events.CALL_STATUS_CHANGED,
        data={"from": None, "to": "completed", "source": "twilio"},
        bus=None,
    )
    return ids.encode("Call", call.id)


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
        response = case.call(session=session, headers=headers, timeout=20)
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
    introspection: dict[str, Any],
    owner_email: str,
    label: str,
) -> None:
    # given
    index = OPERATIONS.index(label)
    token, values = await _world(gql, server.settings, owner_email)
    schema = _load(introspection, server.base_url, values)
    root, field = label.split(".")
    operation = schema[root][field]
    headers = {
        "Authorization": f"Bearer {token}",
        # Failed sign-ins among the cases are throttled per address: one per operation.
        "X-Forwarded-For": f"10.251.0.{index % 250 + 1}",
    }

    # when
    found, sent = await asyncio.to_thread(_fuzz, operation, headers)

    # then
    assert sent > 0
    assert found == [], "\n\n".join(f"{body}\n  -> {issues}" for body, issues in found[:5])
