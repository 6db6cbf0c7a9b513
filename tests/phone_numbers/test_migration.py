"""The phone_numbers migration: numbers typed on agents become numbers their organizations hold.

Runs on SQLite, and on PostgreSQL when TEST_DATABASE_URL is set (a scratch database each).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from tortoise import connections

from orm.migrate import aerich_command, apply_migrations, stage_migrations, version_files
from orm.models import AgentTool, Call, Organization, PhoneNumber, PlatformTool, VoiceAgent
from tests.support.backends import needs_postgres
from tests.test_migrations import DIALECTS, orm_on, scratch_database

PHONE_NUMBERS_MIGRATION = 5


@pytest.fixture(params=DIALECTS)
async def database_before_owned_numbers(request, tmp_path):
    """A database at the version before phone numbers were owned."""
    async with scratch_database(request.param, tmp_path) as url:
        staged = stage_migrations(url, tmp_path / "staged")
        for name in version_files(staged):
            if int(name.split("_", 1)[0]) >= PHONE_NUMBERS_MIGRATION:
                (staged / name).unlink()
        async with aerich_command(url, staged.parent) as command:
            await command.upgrade(run_in_transaction=True)
        yield url


async def _insert_agent(
    database_url: str, organization: Organization, phone_number: str | None, created_at: datetime
) -> uuid.UUID:
    agent_id = uuid.uuid4()
    sqlite = database_url.startswith("sqlite")
    placeholders = ", ".join("?" if sqlite else f"${n}" for n in range(1, 9))
    await connections.get("default").execute_query(
        'INSERT INTO "voice_agents" ("id", "created_at", "updated_at", "name", "system_prompt",'
        ' "phone_number", "voice", "language", "organization_id")'
        f" VALUES ({placeholders}, {'?' if sqlite else '$9'})",
        [
            str(agent_id) if sqlite else agent_id,
            created_at.isoformat(sep=" ") if sqlite else created_at,
            created_at.isoformat(sep=" ") if sqlite else created_at,
            "Desk",
            "You answer.",
            phone_number,
            "Puck",
            "en-US",
            str(organization.id) if sqlite else organization.id,
        ],
    )
    return agent_id


async def test_typed_numbers_become_numbers_the_agents_organizations_hold(
    database_before_owned_numbers,
):
    # given: agents with and without numbers, and the rows that hang off agents
    url = database_before_owned_numbers
    now = datetime.now(UTC)
    async with orm_on(url):
        org_a = await Organization.create(name="A", slug="a")
        org_b = await Organization.create(name="B", slug="b")
        numbered = await _insert_agent(url, org_a, "+14155550101", now)
        other = await _insert_agent(url, org_b, "+14155550102", now)
        unnumbered = await _insert_agent(url, org_a, None, now)
        call = await Call.create(
            organization=org_a,
            agent_id=numbered,
            direction="inbound",
            from_number="+14155550100",
            to_number="+14155550101",
            status="completed",
        )
        tool = await PlatformTool.create(
            name="probe_tool", display_name="Probe", description="A tool.", auth_type="none"
        )
        agent_tool = await AgentTool.create(
            agent_id=numbered, organization=org_a, tool=tool, config={}
        )

    # when
    applied = await apply_migrations(url)

    # then: each number is held by its agent's organization and assigned to that agent
    assert applied[0].startswith(f"{PHONE_NUMBERS_MIGRATION}_")
    async with orm_on(url):
        held = {row.e164: row for row in await PhoneNumber.all()}
        assert set(held) == {"+14155550101", "+14155550102"}
        assert held["+14155550101"].organization_id == org_a.id
        assert held["+14155550102"].organization_id == org_b.id
        assert all(row.status == "active" and row.provider == "twilio" for row in held.values())
        assert all(row.provider_sid is None for row in held.values())
        assert (await VoiceAgent.get(id=numbered)).phone_number_id == held["+14155550101"].id
        assert (await VoiceAgent.get(id=other)).phone_number_id == held["+14155550102"].id
        assert (await VoiceAgent.get(id=unnumbered)).phone_number_id is None

        # then: what referenced the agents still does, and deleting an agent still cascades
        assert (await Call.get(id=call.id)).agent_id == numbered
        assert await AgentTool.filter(id=agent_tool.id).exists()
        await VoiceAgent.filter(id=numbered).delete()
        assert not await AgentTool.filter(id=agent_tool.id).exists()
        assert (await Call.get(id=call.id)).agent_id is None
        # ...and releasing a number's row unassigns its agent
        await PhoneNumber.filter(e164="+14155550102").delete()
        assert (await VoiceAgent.get(id=other)).phone_number_id is None


@needs_postgres
async def test_a_number_on_agents_of_two_organizations_goes_to_the_oldest_claim(tmp_path):
    # given: a database whose agents' numbers were not unique (the constraint dropped by
    # hand: the only way two agents could hold one number), one claim older than the other
    async with scratch_database("postgres", tmp_path) as url:
        staged = stage_migrations(url, tmp_path / "staged")
        for name in version_files(staged):
            if int(name.split("_", 1)[0]) >= PHONE_NUMBERS_MIGRATION:
                (staged / name).unlink()
        async with aerich_command(url, staged.parent) as command:
            await command.upgrade(run_in_transaction=True)
        now = datetime.now(UTC)
        async with orm_on(url):
            await connections.get("default").execute_script(
                'ALTER TABLE "voice_agents" DROP CONSTRAINT "voice_agents_phone_number_key"'
            )
            first = await Organization.create(name="First", slug="first")
            second = await Organization.create(name="Second", slug="second")
            newer = await _insert_agent(url, second, "+14155550103", now)
            older = await _insert_agent(url, first, "+14155550103", now - timedelta(days=1))

        # when
        await apply_migrations(url)

        # then: the oldest agent keeps the number; the other has none
        async with orm_on(url):
            [held] = await PhoneNumber.all()
            assert held.organization_id == first.id
            assert (await VoiceAgent.get(id=older)).phone_number_id == held.id
            assert (await VoiceAgent.get(id=newer)).phone_number_id is None
