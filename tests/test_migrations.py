"""The aerich migrations: each dialect migrates from zero, and no model change lacks a migration.

SQLite always runs (a file under tmp_path). PostgreSQL runs when TEST_DATABASE_URL is set
(tests/support/backends.py): each test creates a scratch database `va_mig_<random>` on that
server and drops it; an unreachable server fails the test, it does not skip it.

Every Tortoise context opened here is an `orm.migrate.isolated_context`: Tortoise 1.1.9
keeps dialect-specific SQL on the model classes and in a process-wide cache, and this module
uses both dialects in a process whose other tests may use only one.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aerich.models import Aerich
from tortoise import Tortoise, connections

from orm.config import MIGRATIONS_ROOT, tortoise_config
from orm.migrate import (
    APP,
    aerich_command,
    apply_migrations,
    isolated_context,
    migrations_dir,
    pending_migrations,
    pending_model_changes,
    scratch_postgres_database,
    stage_migrations,
    version_files,
)
from orm.models import Organization, Role, RolePermission
from tests.support.backends import TEST_DATABASE_URL, needs_postgres

DIALECTS = ["sqlite", pytest.param("postgres", marks=needs_postgres)]


@asynccontextmanager
async def scratch_database(dialect: str, tmp_path: Path) -> AsyncIterator[str]:
    if dialect == "sqlite":
        yield f"sqlite://{tmp_path / 'migrations.sqlite3'}"
    else:
        assert TEST_DATABASE_URL
        async with scratch_postgres_database(TEST_DATABASE_URL) as url:
            yield url


@pytest.fixture(params=DIALECTS)
async def empty_database(request, tmp_path) -> AsyncIterator[str]:
    """The URL of an empty database, once per available dialect."""
    async with scratch_database(request.param, tmp_path) as url:
        yield url


@asynccontextmanager
async def orm_on(database_url: str) -> AsyncIterator[None]:
    async with isolated_context():
        await Tortoise.init(config=tortoise_config(database_url))
        yield


async def table_names(database_url: str) -> set[str]:
    sql = (
        "SELECT name FROM sqlite_master WHERE type = 'table'"
        if database_url.startswith("sqlite://")
        else "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()"
    )
    async with orm_on(database_url):
        return {row["name"] for row in await connections.get("default").execute_query_dict(sql)}


def model_classes() -> list:
    return [model for app in Tortoise.apps.values() for model in app.values()]


async def test_migrates_an_empty_database_from_zero(empty_database):
    applied = await apply_migrations(empty_database)

    assert applied == version_files(migrations_dir(empty_database))
    async with orm_on(empty_database):
        models = model_classes()
        expected = {model._meta.db_table for model in models}
        # Every model can be read with all its columns (this raises if one is missing).
        for model in models:
            await model.all().limit(1).values()
    assert expected <= await table_names(empty_database)

    # Idempotent: nothing is left to apply, and a second run applies nothing.
    assert await pending_migrations(empty_database) == []
    assert await apply_migrations(empty_database) == []


async def test_no_model_change_lacks_a_migration(empty_database):
    await apply_migrations(empty_database)

    problems = await pending_model_changes(empty_database)

    assert problems == [], (
        "The models differ from what the migrations produce. Run "
        "`make makemigrations NAME=<what_changed>` and commit the new files.\n"
        + "\n".join(problems)
    )


async def test_check_detects_a_schema_the_migrations_did_not_produce(empty_database):
    await apply_migrations(empty_database)
    async with orm_on(empty_database):
        conn = connections.get("default")
        await conn.execute_script(
            'ALTER TABLE "voice_agents" DROP COLUMN "greeting"; DROP TABLE "email_outbox";'
        )

    problems = await pending_model_changes(empty_database)

    assert any("voice_agents.greeting" in p and "missing" in p for p in problems), problems
    assert any("email_outbox" in p and "missing" in p for p in problems), problems


async def test_check_detects_a_model_change_without_a_migration(empty_database):
    await apply_migrations(empty_database)
    # Make the last migration's recorded models state lack VoiceAgent.greeting: to aerich this
    # is exactly a field added to the model without running makemigrations.
    async with orm_on(empty_database):
        last = await Aerich.filter(app=APP).order_by("-id").first()
        agent = last.content["models.VoiceAgent"]
        agent["data_fields"] = [f for f in agent["data_fields"] if f["name"] != "greeting"]
        await last.save()

    problems = await pending_model_changes(empty_database)

    assert len(problems) == 1, problems
    assert 'ALTER TABLE "voice_agents" ADD "greeting"' in problems[0]


@pytest.mark.parametrize(
    ("outer", "inner"),
    [
        ("sqlite", "sqlite"),
        pytest.param("sqlite", "postgres", marks=needs_postgres),
        pytest.param("postgres", "sqlite", marks=needs_postgres),
    ],
)
async def test_callers_tortoise_context_keeps_working(outer, inner, tmp_path):
    """apply_migrations inside a test's own active Tortoise context, of either dialect."""
    (tmp_path / "outer").mkdir()
    (tmp_path / "inner").mkdir()
    async with (
        scratch_database(outer, tmp_path / "outer") as outer_url,
        scratch_database(inner, tmp_path / "inner") as inner_url,
        orm_on(outer_url),
    ):
        await Tortoise.generate_schemas()
        await Organization.create(name="Before", slug="before")

        assert await apply_migrations(inner_url)

        # Inserts, updates and deletes still use the outer database's SQL dialect.
        role = await Role.create(key="member", name="Member")
        await RolePermission.create(role=role, permission="agent:read")
        await Organization.filter(slug="before").update(name="Renamed")
        await Organization.filter(slug="before").delete()
        assert await Organization.all().count() == 0
        assert await RolePermission.filter(role__key="member").count() == 1


def test_both_dialect_sets_hold_the_same_migrations():
    """`make makemigrations` writes both sets; they must not drift apart."""

    def numbers_and_names(dialect: str) -> list[tuple[str, str]]:
        files = version_files(MIGRATIONS_ROOT / dialect / APP)
        # <number>_<timestamp>_<name>.py: the timestamps may differ by a second.
        return [re.match(r"^(\d+)_\d+_(.*)\.py$", f).groups() for f in files]

    postgres = numbers_and_names("postgres")
    assert postgres, "no PostgreSQL migrations: run `make makemigrations NAME=init`"
    assert numbers_and_names("sqlite") == postgres


async def test_the_upgrade_blanks_links_that_earlier_versions_kept_in_clear(
    empty_database, tmp_path
):
    # given: a database at the version before links were sealed, with mails holding links
    staged = stage_migrations(empty_database, tmp_path / "staged")
    for name in version_files(staged):
        if int(name.split("_", 1)[0]) >= 4:
            (staged / name).unlink()
    async with aerich_command(empty_database, staged.parent) as command:
        await command.upgrade(run_in_transaction=True)
    rows = [
        ("pending", "password_reset", "https://app/reset?token=vaot_live1"),
        ("sent", "invitation", "https://app/invitations/accept?token=vainv_live2"),
        ("pending", "payment_failed", "Your payment failed."),
    ]
    async with orm_on(empty_database):
        conn = connections.get("default")
        for status, template, body in rows:
            await conn.execute_query(
                'INSERT INTO "email_outbox" ("id", "created_at", "updated_at", "to_address",'
                ' "template", "subject", "text_body", "html_body", "status", "attempts",'
                ' "next_attempt_at") VALUES ($1, $2, $2, $3, $4, $5, $6, $6, $7, 0, $2)'
                if not empty_database.startswith("sqlite")
                else 'INSERT INTO "email_outbox" ("id", "created_at", "updated_at",'
                ' "to_address", "template", "subject", "text_body", "html_body", "status",'
                ' "attempts", "next_attempt_at") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)',
                _insert_values(empty_database, status, template, body),
            )

    # when
    applied = await apply_migrations(empty_database)

    # then: no link survives; the unsent mail with a link is discarded, the other kept
    assert applied[0].startswith("4_")
    async with orm_on(empty_database):
        stored = await connections.get("default").execute_query_dict(
            'SELECT "template", "status", "text_body", "html_body" FROM "email_outbox"'
        )
    by_template = {row["template"]: row for row in stored}
    assert not any("vaot_" in str(row) or "vainv_" in str(row) for row in stored)
    assert by_template["password_reset"]["status"] == "discarded"
    assert by_template["invitation"]["status"] == "sent"
    assert by_template["payment_failed"]["status"] == "pending"
    assert by_template["payment_failed"]["text_body"] == "Your payment failed."


def _insert_values(database_url: str, status: str, template: str, body: str) -> list:
    now = datetime.now(UTC)
    row_id = uuid.uuid4()
    if database_url.startswith("sqlite"):
        stamp = now.isoformat()
        return [
            str(row_id),
            stamp,
            stamp,
            "a@example.com",
            template,
            "Subject",
            body,
            body,
            status,
            stamp,
        ]
    return [row_id, now, "a@example.com", template, "Subject", body, status]
