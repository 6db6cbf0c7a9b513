"""Tortoise configuration built from a database URL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tortoise.backends.base.config_generator import expand_db_url

MODEL_MODULES = ["orm.models", "aerich.models"]
MIGRATIONS_ROOT = Path(__file__).parent / "migrations"


def dialect_of(database_url: str) -> str:
    """'sqlite' or 'postgres': which migration set and SQL dialect the URL needs."""
    return "sqlite" if database_url.startswith("sqlite://") else "postgres"


def normalize_url(database_url: str) -> str:
    """Tortoise spells the PostgreSQL scheme `postgres://`; accept the common aliases."""
    for alias in ("postgresql://", "asyncpg://"):
        if database_url.startswith(alias):
            return "postgres://" + database_url[len(alias) :]
    return database_url


# The asyncpg client that puts the tenancy scope on its connections (orm/tenancy.py).
SCOPED_POSTGRES_ENGINE = "orm.scoped_postgres"
# The SQLite client whose transactions a cancellation cannot leave holding the connection.
SQLITE_ENGINE = "orm.sqlite_client"


def tortoise_config(database_url: str) -> dict[str, Any]:
    url = normalize_url(database_url)
    connection: str | dict[str, Any]
    if url.startswith("sqlite://"):
        _ensure_sqlite_directory(url)
        connection = {**expand_db_url(url), "engine": SQLITE_ENGINE}
    else:
        connection = {**expand_db_url(url), "engine": SCOPED_POSTGRES_ENGINE}
    return {
        "connections": {"default": connection},
        "apps": {"models": {"models": MODEL_MODULES, "default_connection": "default"}},
        "use_tz": True,
        "timezone": "UTC",
    }


def migrations_location(database_url: str) -> Path:
    return MIGRATIONS_ROOT / dialect_of(database_url)


def _ensure_sqlite_directory(url: str) -> None:
    path = url[len("sqlite://") :].split("?", 1)[0]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


# aerich's CLI (`aerich -c aerich.toml ...`) reads this: the production dialect.
TORTOISE_ORM = {
    "connections": {"default": "postgres://postgres@127.0.0.1:5432/voiceagents"},
    "apps": {"models": {"models": MODEL_MODULES, "default_connection": "default"}},
    "use_tz": True,
    "timezone": "UTC",
}
