"""Apply the aerich migrations from code, and check that no model change lacks a migration.

There is one migration set per SQL dialect (aerich writes raw SQL for one database):
`orm/migrations/postgres/models/` and `orm/migrations/sqlite/models/`. aerich treats its
`location` (`orm.config.migrations_location(url)`, also what `aerich.toml` names) as a parent
folder and keeps the files of app `models` in `<location>/models/`.

aerich 0.10.1 facts this module relies on (checked against tortoise-orm 1.1.9):

- The first migration (what `init-db` writes) creates every table, aerich's own `aerich`
  table included, with `CREATE TABLE IF NOT EXISTS`. `Command.upgrade` treats a missing
  `aerich` table as "nothing applied", so upgrading an empty database works from zero and
  `init_db` is never needed to apply migrations (only `makemigrations` uses it, to write the
  first file).
- `Command` keeps Tortoise state in the current `TortoiseContext`: a second `Command` in the
  same context fails with "DB configuration not initialised". Every use below gets a fresh
  `TortoiseContext`, which also isolates it from a context the caller may have active (tests,
  the running app) and closes its connections on exit (an open SQLite connection hangs the
  process at exit).
- Tortoise 1.1.9's contexts isolate connections, not models: `Tortoise.init` rebinds the model
  classes (`Model._meta.basequery`, built with the dialect's query class, and
  `default_connection`), and a process-wide cache keeps each model's INSERT/UPDATE/DELETE SQL
  keyed by connection name, not dialect (`tortoise.backends.base.executor.EXECUTOR_CACHE`).
  After a SQLite context, a PostgreSQL one reuses SQLite's `?` placeholders and fails.
  `isolated_context` clears that cache for its own use and restores both for the caller.
  The model classes stay process-wide, though: while such a context is open on another
  dialect, other tasks using the models (a live server's background loop) get errors.
- `aerich.migrate.Migrate` keeps its working state (pending SQL operators, renames, the last
  models state) in class attributes and never clears them. `_reset_aerich_state` does, before
  every use; a per-event-loop lock keeps two uses in one process from interleaving.
- On SQLite a migration is not atomic: `sqlite3.executescript` commits before it runs, so
  aerich's transaction does not cover the migration's SQL.
"""

from __future__ import annotations

import asyncio
import re
import secrets
import shutil
import tempfile
import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg
from aerich import Command
from aerich.exceptions import NotSupportError
from aerich.migrate import Migrate
from aerich.utils import import_py_file
from tortoise import BaseDBAsyncClient, Tortoise, connections
from tortoise.backends.base import executor as tortoise_executor
from tortoise.backends.base.config_generator import expand_db_url
from tortoise.context import TortoiseContext, get_current_context
from tortoise.exceptions import OperationalError

from orm import tenancy
from orm.config import dialect_of, migrations_location, normalize_url, tortoise_config
from orm.tenancy import Scope

APP = "models"  # the Tortoise app label; aerich keeps its files in <location>/<app>/
_VERSION_FILE = re.compile(r"^(\d+)_.*\.py$")  # what aerich treats as a migration file
# Any constant works; it only has to be the same in every process that migrates.
_PG_MIGRATION_LOCK_KEY = 0x76615F6D69677261  # "va_migra"
_CONNECT_TIMEOUT = 10.0  # seconds


class MigrationError(RuntimeError):
    """The migrations cannot be applied or generated as asked."""


class PostgresUnavailableError(MigrationError):
    """The PostgreSQL server could not be reached (or refused the connection)."""


def migrations_dir(database_url: str) -> Path:
    """The folder holding the migration files of the URL's dialect."""
    return migrations_location(database_url) / APP


def stage_migrations(database_url: str, location: Path) -> Path:
    """Copy the dialect's migration files into `<location>/models/` (a working copy for aerich)."""
    staged = location / APP
    staged.mkdir(parents=True)
    for name in version_files(migrations_dir(database_url)):
        shutil.copy2(migrations_dir(database_url) / name, staged / name)
    return staged


def version_files(directory: Path) -> list[str]:
    """The migration file names in `directory`, in the order aerich applies them."""
    if not directory.is_dir():
        return []
    names = [p.name for p in directory.iterdir() if _VERSION_FILE.match(p.name)]
    return sorted(names, key=lambda name: int(name.split("_", 1)[0]))


async def apply_migrations(database_url: str) -> list[str]:
    """Apply every migration of the URL's dialect that the database lacks; return their names.

    Works on an empty database (the first migration creates everything, aerich's table
    included) and is idempotent: a second call returns []. On PostgreSQL a session advisory
    lock serialises concurrent callers (several replicas starting at once).
    """
    directory = migrations_dir(database_url)
    if not version_files(directory):
        raise MigrationError(
            f"no migration files in {directory}: run `make makemigrations NAME=init`"
        )
    # The owner is under its tables' row-level security too (FORCE): a migration that moves
    # data reaches every organization's rows.
    with tenancy.scoped(Scope(platform=True, reason="migrations")):
        async with _postgres_migration_lock(database_url), aerich_command(database_url) as cmd:
            return await cmd.upgrade(run_in_transaction=True)


async def pending_migrations(database_url: str) -> list[str]:
    """The migration files of the URL's dialect not yet applied to the database."""
    async with aerich_command(database_url) as command:
        return await _unapplied(command)


async def pending_model_changes(database_url: str) -> list[str]:
    """What differs between the model code and a database migrated to head; [] when nothing.

    `database_url` must name a database the caller has migrated (`apply_migrations`); it is
    only read. Two independent checks, both needed:

    1. aerich's own diff (what `make makemigrations` would write): the models are compared
       with the models state recorded by the last applied migration, in a throwaway copy of
       the migration folder so nothing is written to the real one. This catches a model
       change that has no migration, including ones invisible in the schema.
    2. The schema the migrations produced (introspected: tables, columns with type, NOT NULL
       and default, indexes and unique constraints by column list, foreign keys and checks)
       against the schema `Tortoise.generate_schemas` creates from the models in a scratch
       database of the same dialect (SQLite in memory; PostgreSQL `va_mig_<random>` on the
       same server, created and dropped here). This catches a migration whose SQL does not do
       what its recorded state claims (hand-written or edited SQL, aerich gaps).

    Index and constraint names are ignored (aerich and Tortoise name them differently), and so
    is a column default present only in the migrated database: aerich adds a DB default for a
    Python `default=` when it adds a NOT NULL column, which `generate_schemas` does not.
    """
    unapplied = await pending_migrations(database_url)
    if unapplied:
        # The comparison below is only meaningful at head.
        return [f"migration not applied: {name}" for name in unapplied]
    problems = await _aerich_diff(database_url)
    migrated = await _introspect(database_url)
    if dialect_of(database_url) == "sqlite":
        reference = await _generated_schema("sqlite://:memory:")
    else:
        async with scratch_postgres_database(database_url) as scratch_url:
            reference = await _generated_schema(scratch_url)
    problems += _compare_schemas(migrated, reference)
    return problems


@asynccontextmanager
async def scratch_postgres_database(server_url: str) -> AsyncIterator[str]:
    """Create an empty database `va_mig_<random>` on the URL's server; yield its URL; drop it.

    The URL's own database is only used to connect (any existing database works, e.g. the
    `postgres` maintenance database); the role needs CREATEDB.
    """
    name = f"va_mig_{secrets.token_hex(6)}"
    admin = await _postgres_connect(server_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield _with_database(server_url, name)
        finally:
            # FORCE (PostgreSQL 13+) ends sessions a failed caller may have left behind.
            force = " WITH (FORCE)" if admin.get_server_version().major >= 13 else ""
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}"{force}')
    finally:
        await admin.close()


# --- aerich plumbing -------------------------------------------------------------------------

_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
    weakref.WeakKeyDictionary()
)


def _aerich_lock() -> asyncio.Lock:
    # asyncio.Lock binds to one loop; the CLI's asyncio.run and the tests' loop differ.
    loop = asyncio.get_running_loop()
    lock = _locks.get(loop)
    if lock is None:
        lock = _locks[loop] = asyncio.Lock()
    return lock


def _reset_aerich_state() -> None:
    """Clear what `Migrate` left in its class attributes from a previous use in this process."""
    Migrate.upgrade_operators = []
    Migrate.downgrade_operators = []
    Migrate._upgrade_fk_m2m_index_operators = []
    Migrate._downgrade_fk_m2m_index_operators = []
    Migrate._upgrade_m2m = []
    Migrate._downgrade_m2m = []
    Migrate._rename_fields = {}
    Migrate._rename_models = {}
    Migrate._last_version_content = None
    Migrate._db_version = None


_MODEL_BINDINGS = ("default_connection", "basetable", "basequery", "basequery_all_fields")


@asynccontextmanager
async def isolated_context() -> AsyncIterator[TortoiseContext]:
    """A fresh TortoiseContext that leaves the caller's models and SQL cache as it found them.

    See the module docstring: without this, using another database (dialect) here would leave
    the caller's active context with this one's query builders and cached SQL.
    """
    cache = tortoise_executor.EXECUTOR_CACHE
    saved_cache = dict(cache)
    outer = get_current_context()
    outer_models = [
        model
        for app in (outer.apps.apps.values() if outer and outer.apps else ())
        for model in app.values()
    ]
    saved_models = [(m, {a: getattr(m._meta, a) for a in _MODEL_BINDINGS}) for m in outer_models]
    cache.clear()
    try:
        async with TortoiseContext() as ctx:
            yield ctx
    finally:
        cache.clear()
        cache.update(saved_cache)
        for model, bindings in saved_models:
            for attr, value in bindings.items():
                setattr(model._meta, attr, value)


@asynccontextmanager
async def aerich_command(
    database_url: str, location: Path | None = None, *, init: bool = True
) -> AsyncIterator[Command]:
    """An aerich `Command` on the database, in its own TortoiseContext, closed on exit.

    `location` overrides the migration set's parent folder (a staging copy); `init=False`
    skips aerich's `Migrate.init` on entry, as aerich's CLI does for `init-db`.
    """
    location = location if location is not None else migrations_location(database_url)
    async with _aerich_lock(), isolated_context():
        _reset_aerich_state()
        command = Command(
            tortoise_config=tortoise_config(database_url), app=APP, location=str(location)
        )
        command._init_when_aenter = init
        async with command:
            yield command


async def _unapplied(command: Command) -> list[str]:
    try:
        return await command.heads()
    except OperationalError:  # no `aerich` table yet: an empty database
        return Migrate.get_all_version_files()


async def _aerich_diff(database_url: str) -> list[str]:
    """What `aerich migrate` would write for this (migrated) database; [] when nothing."""
    dialect = dialect_of(database_url)
    with tempfile.TemporaryDirectory(prefix="va_migcheck_") as tmp:
        staged = stage_migrations(database_url, Path(tmp))
        async with aerich_command(database_url, Path(tmp)) as command:
            try:
                # no_input: never prompt (a possible rename is taken as one).
                written = await command.migrate("unmigrated_model_changes", no_input=True)
            except NotSupportError as exc:
                return [f"a model change that aerich cannot migrate on {dialect}: {exc}"]
        if not written:
            return []
        sql = await import_py_file(staged / written).upgrade(None)
        return [
            f"model change without a migration; `make makemigrations` would write:\n{sql.strip()}"
        ]


# --- PostgreSQL connections --------------------------------------------------------------------


def _postgres_parts(url: str) -> dict[str, Any]:
    credentials = expand_db_url(normalize_url(url))["credentials"]
    parts = {k: credentials.get(k) for k in ("host", "port", "user", "password", "database")}
    if credentials.get("ssl"):
        parts["ssl"] = credentials["ssl"]
    return {k: v for k, v in parts.items() if v is not None}


async def _postgres_connect(url: str) -> asyncpg.Connection:
    """A plain asyncpg connection (Tortoise's URL options such as ?maxsize= are dropped)."""
    parts = _postgres_parts(url)
    where = (
        f"{parts.get('host', 'localhost')}:{parts.get('port', 5432)}/{parts.get('database', '')}"
    )
    try:
        return await asyncpg.connect(**parts, timeout=_CONNECT_TIMEOUT)
    except (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        raise PostgresUnavailableError(
            f"cannot connect to PostgreSQL at {where}: {exc or type(exc).__name__}"
        ) from exc


def _with_database(url: str, database: str) -> str:
    parts = urlsplit(normalize_url(url))
    return urlunsplit(parts._replace(path=f"/{database}"))


@asynccontextmanager
async def _postgres_migration_lock(database_url: str) -> AsyncIterator[None]:
    if dialect_of(database_url) != "postgres":
        yield
        return
    conn = await _postgres_connect(database_url)
    try:
        await conn.execute("SELECT pg_advisory_lock($1)", _PG_MIGRATION_LOCK_KEY)
        yield
    finally:
        await conn.close()  # ending the session releases the lock


# --- schema introspection and comparison --------------------------------------------------------


@dataclass
class _Table:
    # column -> (type, NOT NULL, default expression)
    columns: dict[str, tuple[str, bool, str | None]] = field(default_factory=dict)
    # (columns, unique, primary key); names are left out on purpose
    indexes: set[tuple[tuple[str, ...], bool, bool]] = field(default_factory=set)
    # foreign keys and checks, as the database prints them
    constraints: set[str] = field(default_factory=set)


async def _introspect(database_url: str) -> dict[str, _Table]:
    async with isolated_context():
        await Tortoise.init(config=tortoise_config(database_url))
        return await _read_schema(connections.get("default"), dialect_of(database_url))


async def _generated_schema(database_url: str) -> dict[str, _Table]:
    """The schema Tortoise creates from the models, on an empty scratch database."""
    async with isolated_context():
        await Tortoise.init(config=tortoise_config(database_url))
        await Tortoise.generate_schemas(safe=False)
        return await _read_schema(connections.get("default"), dialect_of(database_url))


async def _read_schema(conn: BaseDBAsyncClient, dialect: str) -> dict[str, _Table]:
    if dialect == "sqlite":
        return await _read_sqlite_schema(conn)
    return await _read_postgres_schema(conn)


async def _read_sqlite_schema(conn: BaseDBAsyncClient) -> dict[str, _Table]:
    tables: dict[str, _Table] = {}
    rows = await conn.execute_query_dict(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    for (name,) in ((r["name"],) for r in rows):
        table = tables[name] = _Table()
        quoted = name.replace('"', '""')
        for col in await conn.execute_query_dict(f'PRAGMA table_info("{quoted}")'):
            table.columns[col["name"]] = (
                col["type"].upper(),
                bool(col["notnull"]),
                col["dflt_value"],
            )
        for index in await conn.execute_query_dict(f'PRAGMA index_list("{quoted}")'):
            index_name = index["name"].replace('"', '""')
            cols = await conn.execute_query_dict(f'PRAGMA index_info("{index_name}")')
            columns = tuple(c["name"] for c in sorted(cols, key=lambda c: c["seqno"]))
            table.indexes.add((columns, bool(index["unique"]), index["origin"] == "pk"))
        for fk in await conn.execute_query_dict(f'PRAGMA foreign_key_list("{quoted}")'):
            table.constraints.add(
                f"FOREIGN KEY ({fk['from']}) REFERENCES {fk['table']}({fk['to']}) "
                f"ON UPDATE {fk['on_update']} ON DELETE {fk['on_delete']}"
            )
    return tables


_PG_TABLES = """
SELECT c.relname AS table_name
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
"""
_PG_COLUMNS = """
SELECT c.relname AS table_name, a.attname AS column_name,
       format_type(a.atttypid, a.atttypmod) AS data_type, a.attnotnull AS not_null,
       pg_get_expr(d.adbin, d.adrelid) AS column_default
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
"""
_PG_INDEXES = """
SELECT t.relname AS table_name, i.indisunique AS is_unique, i.indisprimary AS is_primary,
       ARRAY(SELECT a.attname
             FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
             ORDER BY k.ord) AS columns
FROM pg_index i
JOIN pg_class t ON t.oid = i.indrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE n.nspname = current_schema()
"""
_PG_CONSTRAINTS = """
SELECT t.relname AS table_name, pg_get_constraintdef(c.oid) AS definition
FROM pg_constraint c
JOIN pg_class t ON t.oid = c.conrelid
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE n.nspname = current_schema() AND c.contype IN ('f', 'c')
"""


async def _read_postgres_schema(conn: BaseDBAsyncClient) -> dict[str, _Table]:
    tables = {r["table_name"]: _Table() for r in await conn.execute_query_dict(_PG_TABLES)}
    for r in await conn.execute_query_dict(_PG_COLUMNS):
        tables[r["table_name"]].columns[r["column_name"]] = (
            r["data_type"],
            bool(r["not_null"]),
            r["column_default"],
        )
    for r in await conn.execute_query_dict(_PG_INDEXES):
        if r["table_name"] in tables:
            tables[r["table_name"]].indexes.add(
                (tuple(r["columns"]), r["is_unique"], r["is_primary"])
            )
    for r in await conn.execute_query_dict(_PG_CONSTRAINTS):
        if r["table_name"] in tables:
            tables[r["table_name"]].constraints.add(r["definition"])
    return tables


def _compare_schemas(migrated: dict[str, _Table], models: dict[str, _Table]) -> list[str]:
    """Differences, worded from the migrated database's point of view."""
    problems: list[str] = []
    for name in sorted(models.keys() - migrated.keys()):
        problems.append(f"table {name}: in the models, missing from the migrated database")
    for name in sorted(migrated.keys() - models.keys()):
        problems.append(f"table {name}: in the migrated database, not in the models")
    for name in sorted(models.keys() & migrated.keys()):
        have, want = migrated[name], models[name]
        for col in sorted(want.columns.keys() - have.columns.keys()):
            problems.append(
                f"column {name}.{col}: in the models, missing from the migrated database"
            )
        for col in sorted(have.columns.keys() - want.columns.keys()):
            problems.append(f"column {name}.{col}: in the migrated database, not in the models")
        for col in sorted(want.columns.keys() & have.columns.keys()):
            (have_type, have_not_null, have_default) = have.columns[col]
            (want_type, want_not_null, want_default) = want.columns[col]
            if have_type != want_type:
                problems.append(f"column {name}.{col}: type {have_type}, models say {want_type}")
            if have_not_null != want_not_null:
                problems.append(
                    f"column {name}.{col}: {'NOT NULL' if have_not_null else 'nullable'}, "
                    f"models say {'NOT NULL' if want_not_null else 'nullable'}"
                )
            # A default only the migrated side has is aerich's backfill default (see docstring).
            if want_default is not None and have_default != want_default:
                problems.append(
                    f"column {name}.{col}: default {have_default}, models say {want_default}"
                )
        for columns, unique, primary in sorted(want.indexes - have.indexes):
            kind = "primary key" if primary else "unique index" if unique else "index"
            problems.append(
                f"{kind} {name}({', '.join(columns)}): missing from the migrated database"
            )
        for columns, unique, primary in sorted(have.indexes - want.indexes):
            kind = "primary key" if primary else "unique index" if unique else "index"
            problems.append(f"{kind} {name}({', '.join(columns)}): in the migrated database only")
        for definition in sorted(want.constraints - have.constraints):
            problems.append(
                f"constraint on {name}: {definition}: missing from the migrated database"
            )
        for definition in sorted(have.constraints - want.constraints):
            problems.append(f"constraint on {name}: {definition}: in the migrated database only")
    return problems
