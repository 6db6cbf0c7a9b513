"""The suite's database: a private one per run, and clean data for every test module.

- PostgreSQL: TEST_DATABASE_URL names a server and a base name (`.../test`); each run (each
  xdist worker) creates its own database `<base>_t<pid>` and drops it at the end, so two
  suites side by side, or two workers, never share rows. A database left by a run that was
  killed is dropped by the next run (its process is gone).
- PostgreSQL runs the application as the application role, as production does: the suite
  migrates as the URL's user (the owner), then connects the server, the factories and the
  tests through `voiceagents_app_test`, a LOGIN member of `voiceagents_app` (migration 9)
  without BYPASSRLS, so row-level security is in force for everything the suite does.
  Test code itself runs in a platform scope (tests/conftest.py); the product sets its own
  scope at each of its entry points.
- SQLite: a fresh file per run (the caller's temporary directory).
- Between modules every table is emptied and the reference data the product seeds on
  `migrate` (built-in roles, plans, platform tools) is seeded again, so no module sees what
  another left behind, and a module may change reference rows freely.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from tortoise import Model
from tortoise.transactions import in_transaction

import orm.models
from core.services import billing, roles
from core.settings import Settings
from orm.config import normalize_url
from worker.tools.registry import ToolSpec, discover
from worker.tools.sync import sync_code_tools

_RUN_MARK = "_t"
# The LOGIN role the suite's application connects as on PostgreSQL (cluster-wide, made once).
APP_TEST_ROLE = "voiceagents_app_test"


def asyncpg_url(url: str) -> str:
    return normalize_url(url).replace("postgres://", "postgresql://", 1)


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


async def _drop_abandoned(admin: asyncpg.Connection, base: str) -> None:
    """Databases of earlier runs whose process is gone (killed before it could drop them)."""
    names = await admin.fetch(
        "SELECT datname FROM pg_database WHERE datname LIKE $1", f"{base}{_RUN_MARK}%"
    )
    for (name,) in names:
        suffix = name[len(base) + len(_RUN_MARK) :]
        if suffix.isdigit() and not _pid_alive(int(suffix)):
            with contextlib.suppress(asyncpg.PostgresError):
                await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.asynccontextmanager
async def private_postgres_database(server_url: str) -> AsyncIterator[str]:
    """A new, empty database for this process on the URL's server; dropped on exit."""
    base = urlsplit(normalize_url(server_url)).path.lstrip("/") or "test"
    name = f"{base}{_RUN_MARK}{os.getpid()}"
    admin = await asyncpg.connect(_with_database(asyncpg_url(server_url), "postgres"))
    try:
        await _drop_abandoned(admin, base)
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield _with_database(normalize_url(server_url), name)
        finally:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


async def application_role_url(owner_url: str) -> str:
    """The URL of the migrated database `owner_url` names, as the application role.

    The LOGIN role is created when missing (two runs may race to create it), with no
    password: the suite's server trusts local connections, as it does for the owner."""
    owner = await asyncpg.connect(asyncpg_url(owner_url))
    try:
        await owner.execute(
            f"""
            DO $$
            BEGIN
                IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{APP_TEST_ROLE}') THEN
                    BEGIN
                        CREATE ROLE {APP_TEST_ROLE} LOGIN IN ROLE voiceagents_app;
                    EXCEPTION WHEN duplicate_object OR unique_violation THEN
                        NULL;
                    END;
                END IF;
            END
            $$;
            GRANT voiceagents_app TO {APP_TEST_ROLE};
            """
        )
    finally:
        await owner.close()
    parts = urlsplit(normalize_url(owner_url))
    netloc = f"{APP_TEST_ROLE}@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def _tables_children_first() -> list[str]:
    """Every table of ours, each after the tables whose rows point at it."""
    models = [
        model
        for model in (getattr(orm.models, name) for name in sorted(orm.models.__all__))
        if isinstance(model, type) and issubclass(model, Model)
    ]
    parents = {
        model: {
            model._meta.fields_map[name].related_model  # type: ignore[attr-defined]
            for name in model._meta.fk_fields | model._meta.o2o_fields
        }
        - {model}
        for model in models
    }
    ordered: list[type[Model]] = []
    placed: set[type[Model]] = set()
    while len(ordered) < len(models):
        # A table may go once no table still to be placed points at it.
        ready = [
            model
            for model in models
            if model not in placed
            and not any(model in parents[other] for other in models if other not in placed)
        ]
        assert ready, "a cycle of foreign keys"
        ordered += ready
        placed.update(ready)
    return [model._meta.db_table for model in ordered]


_specs: dict[str, ToolSpec] | None = None


async def seed_reference_data(settings: Settings) -> None:
    """What `voiceagents migrate` and `tools sync` put in a new database."""
    global _specs
    if _specs is None:
        _specs = discover()
    await roles.sync_builtin_roles()
    await billing.sync_plans(settings=settings)
    await sync_code_tools(_specs)


async def reset_data(settings: Settings) -> None:
    """Every table emptied (aerich's history kept), then the reference data seeded again.

    DELETE, children first, rather than TRUNCATE: a module leaves few rows, and TRUNCATE
    of every table costs PostgreSQL ~100 ms of file work each time."""
    async with in_transaction() as connection:
        for table in _tables_children_first():
            await connection.execute_query(f'DELETE FROM "{table}"')
    await seed_reference_data(settings)
