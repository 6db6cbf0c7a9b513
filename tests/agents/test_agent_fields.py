"""An agent's fields are one typed input: a field added to it reaches the database with no list
to update; problems are keyed by the Python field name and shown to clients in camelCase."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import pytest
import strawberry
from tortoise import connections, fields
from tortoise.backends.base.executor import EXECUTOR_CACHE
from tortoise.models import Model

from core.errors import ServiceError
from core.inputs import UNSET, Maybe
from core.services import agents
from core.services.agents import AgentChanges, AgentCreate, AgentErrorCode
from graphql_api.agents.types import AgentUpdateInput
from graphql_api.inputs import to_core
from orm.models import VoiceAgent
from tests.support.database import asyncpg_url
from tests.support.ids import global_id
from tests.support.operations import AGENT_UPDATE


async def _as_owner(owner_url: str, statement: str) -> None:
    """DDL, which only the tables' owner may run (on PostgreSQL the suite's application
    role may not: tests/support/database.py)."""
    if owner_url.startswith("sqlite://"):
        await connections.get("default").execute_script(statement)
        return
    owner = await asyncpg.connect(asyncpg_url(owner_url))
    try:
        await owner.execute(statement)
    finally:
        await owner.close()


@asynccontextmanager
async def temporary_column(model: type[Model], name: str, owner_url: str) -> AsyncIterator[None]:
    """`model` has a nullable text column `name` while the block runs: in its table (what a
    migration adds) and in Tortoise's description of the model (what a model field adds)."""
    meta = model._meta
    await _as_owner(
        owner_url, f'ALTER TABLE "{meta.db_table}" ADD COLUMN "{name}" VARCHAR(100) NULL'
    )
    meta.add_field(name, fields.CharField(max_length=100, null=True))
    _describe_again(model)
    try:
        yield
    finally:
        del meta.fields_map[name]
        del meta.fields_db_projection[name]
        for lookup in [key for key in meta._filters if key.split("__")[0] == name]:
            del meta._filters[lookup]
        meta.finalise_fields()
        _describe_again(model)
        await _as_owner(owner_url, f'ALTER TABLE "{meta.db_table}" DROP COLUMN "{name}"')


def _describe_again(model: type[Model]) -> None:
    # Tortoise caches the columns it reads and the INSERT it writes, per table.
    model._meta._generate_db_fields()
    for key in [key for key in EXECUTOR_CACHE if key[2] == model._meta.db_table]:
        del EXECUTOR_CACHE[key]


# The agent's types as they would read with one more field declared: nothing else changes.
@dataclasses.dataclass(frozen=True, kw_only=True)
class AgentCreateWithNickname(AgentCreate):
    nickname: str | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class AgentChangesWithNickname(AgentChanges):
    nickname: Maybe[str | None] = UNSET


@strawberry.input
class AgentUpdateWithNicknameInput(AgentUpdateInput):
    nickname: str | None = strawberry.UNSET


async def _stored_nickname(agent: VoiceAgent) -> str | None:
    row = await VoiceAgent.filter(id=agent.id).values("nickname")
    return row[0]["nickname"]


async def test_a_field_added_to_the_agent_types_reaches_the_database(make, owner_database_url):
    # given: a model with one more column, and the agent types with one more field
    tenant = await make.tenant()
    async with temporary_column(VoiceAgent, "nickname", owner_database_url):
        # when
        created = await agents.create(
            organization=tenant.organization,
            fields=AgentCreateWithNickname(
                name="Front desk", system_prompt="You answer the phone.", nickname="Desky"
            ),
            settings=make.settings,
        )
        stored_at_create = await _stored_nickname(created)
        await agents.update(
            agent=created,
            changes=AgentChangesWithNickname(nickname="Night owl"),
            settings=make.settings,
        )
        stored_after_update = await _stored_nickname(created)
        await agents.update(
            agent=created, changes=AgentChangesWithNickname(name="Renamed"), settings=make.settings
        )
        stored_after_other_change = await _stored_nickname(created)

    # then: written at creation, changed when given, kept when not
    assert stored_at_create == "Desky"
    assert stored_after_update == "Night owl"
    assert stored_after_other_change == "Night owl"


async def test_a_field_the_model_lacks_is_refused_not_dropped(make):
    # given: the agent type has one more field, the model not (its column is forgotten)
    tenant = await make.tenant()

    # when
    with pytest.raises(TypeError) as refused:
        await agents.create(
            organization=tenant.organization,
            fields=AgentCreateWithNickname(
                name="Front desk", system_prompt="You answer the phone.", nickname="Desky"
            ),
            settings=make.settings,
        )

    # then
    assert "VoiceAgent has no column for nickname" in str(refused.value)
    assert await VoiceAgent.filter(organization_id=tenant.organization_uuid).count() == 0


def test_a_field_added_to_the_graphql_input_reaches_the_core_type_by_its_name():
    # given
    given = AgentUpdateWithNicknameInput(
        id=strawberry.ID("QWdlbnQ6eA"), nickname="Desky", name="Desk"
    )
    omitted = AgentUpdateWithNicknameInput(id=strawberry.ID("QWdlbnQ6eA"))

    # when
    changes = to_core(given, AgentChangesWithNickname)
    no_changes = to_core(omitted, AgentChangesWithNickname)

    # then: the id names the agent (the permission check reads it); the rest is the change
    assert changes.changes() == {"name": "Desk", "nickname": "Desky"}
    assert no_changes.changes() == {}


def test_a_graphql_input_field_the_core_type_lacks_is_refused_not_dropped():
    # given: the GraphQL input has a field the core type was not given
    given = AgentUpdateWithNicknameInput(id=strawberry.ID("QWdlbnQ6eA"), nickname="Desky")

    # when
    with pytest.raises(TypeError) as refused:
        to_core(given, AgentChanges)

    # then
    assert "AgentUpdateWithNicknameInput.nickname" in str(refused.value)


def test_create_and_update_take_the_same_agent_fields():
    # given
    create_fields = [field.name for field in dataclasses.fields(AgentCreate)]
    update_fields = [field.name for field in dataclasses.fields(AgentChanges)]

    # then: a field added to one type and forgotten in the other fails here
    assert create_fields == update_fields


def test_every_agent_rule_names_a_field(make):
    # given
    rules = agents._rules(make.settings)

    # then: a rule under a misspelt name would never run
    assert set(rules) <= {field.name for field in dataclasses.fields(AgentCreate)}


async def test_service_errors_name_the_python_field_and_the_api_the_camel_case_one(gql, make):
    # given
    tenant = await make.tenant()
    agent = await make.agent(tenant)

    # when
    with pytest.raises(ServiceError) as refused:
        await agents.update(
            agent=agent,
            changes=AgentChanges(max_call_duration_seconds=5, transfer_to="sip:nobody"),
            settings=make.settings,
        )
    payload = await gql.payload(
        AGENT_UPDATE,
        {
            "input": {
                "id": global_id("Agent", agent.id),
                "maxCallDurationSeconds": 5,
                "transferTo": "sip:nobody",
            }
        },
        token=tenant.token,
    )

    # then
    assert [(e.field, e.code) for e in refused.value.errors] == [
        ("max_call_duration_seconds", AgentErrorCode.INVALID_MAX_CALL_DURATION),
        ("transfer_to", AgentErrorCode.INVALID_TRANSFER_TO),
    ]
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("maxCallDurationSeconds", "INVALID_MAX_CALL_DURATION"),
        ("transferTo", "INVALID_TRANSFER_TO"),
    ]


async def test_null_keeps_a_required_field_and_clears_an_optional_one(gql, make):
    # given
    tenant = await make.tenant()
    agent = await make.agent(
        tenant, name="Front desk", greeting="Hello!", transfer_to="+14155550100"
    )

    # when
    payload = await gql.payload(
        AGENT_UPDATE,
        {
            "input": {
                "id": global_id("Agent", agent.id),
                "name": None,
                "voice": None,
                "greeting": None,
                "transferTo": None,
            }
        },
        token=tenant.token,
    )

    # then: null for a field that cannot be empty leaves it; for one that can, empties it
    assert payload["errors"] == []
    assert payload["agent"]["name"] == "Front desk"
    assert payload["agent"]["voice"] == agent.voice
    assert payload["agent"]["greeting"] == ""
    assert payload["agent"]["transferTo"] is None
