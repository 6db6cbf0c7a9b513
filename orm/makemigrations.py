"""Write the next aerich migration for both dialects: `python -m orm.makemigrations NAME`.

(`make makemigrations NAME=...` runs this.) For each dialect, a scratch database is brought to
the current head with the existing migrations, then aerich diffs the models against the state
the last migration recorded and writes the next file:

- PostgreSQL: scratch database `va_mig_<random>` on the server of MAKEMIGRATIONS_POSTGRES_URL
  (default postgres://postgres@127.0.0.1:5432/postgres, used as the admin connection to
  create and drop it);
- SQLite: a scratch file in a temporary folder.

When a dialect has no migration yet, the first one is written the way `aerich init-db` does
(every table, `CREATE TABLE IF NOT EXISTS`), named `0_<timestamp>_<NAME>.py`.

aerich works in a staging copy of each migration folder; new files are copied into
`orm/migrations/<dialect>/models/` only once every dialect succeeded, so the two sets stay in
step. aerich cannot express some changes on SQLite (changing a column's type, NULL-ness,
default or comment); then nothing is written and the message says how to write the SQLite
migration by hand (`--empty`).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

from aerich.exceptions import NotSupportError

from orm.migrate import (
    MigrationError,
    PostgresUnavailableError,
    aerich_command,
    migrations_dir,
    scratch_postgres_database,
    stage_migrations,
    version_files,
)

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"
DIALECTS = ("postgres", "sqlite")
_NAME = re.compile(r"^[A-Za-z0-9_]+$")


async def make_migrations(
    name: str,
    *,
    dialects: tuple[str, ...] = DIALECTS,
    empty: bool = False,
    postgres_url: str | None = None,
    interactive: bool = False,
) -> list[Path]:
    """Write the next migration for each dialect; return the files written (none: no change).

    `interactive` lets aerich ask about renames (a field removed and one added of the same
    type); without it a rename is assumed, aerich's default answer.
    """
    if not _NAME.match(name):
        raise MigrationError(f"migration name {name!r}: use letters, digits and underscores")
    postgres_url = postgres_url or os.environ.get(
        "MAKEMIGRATIONS_POSTGRES_URL", DEFAULT_POSTGRES_URL
    )
    staged: list[tuple[Path, Path]] = []  # (staged file, destination folder)
    with tempfile.TemporaryDirectory(prefix="va_makemigrations_") as tmp:
        for dialect in DIALECTS:
            if dialect not in dialects:
                continue
            location = Path(tmp, dialect)
            if dialect == "postgres":
                async with scratch_postgres_database(postgres_url) as url:
                    new = await _stage(url, location, name, empty, interactive, dialect)
            else:
                url = f"sqlite://{Path(tmp, 'scratch.sqlite3')}"
                new = await _stage(url, location, name, empty, interactive, dialect)
            if new is None:
                print(f"{dialect}: no changes detected")
            else:
                staged.append((new, migrations_dir(url)))
        # Every dialect succeeded: only now touch the real migration folders.
        written = _install(staged)
    for file in written:
        print(f"wrote {_display(file)}")
    return written


async def _stage(
    url: str, location: Path, name: str, empty: bool, interactive: bool, dialect: str
) -> Path | None:
    """Generate the next migration of `url`'s dialect in a staging copy under `location`."""
    staging = stage_migrations(url, location)
    existing = version_files(staging)
    if interactive:
        print(f"[{dialect}]")
    if not existing:
        if empty:
            raise MigrationError(f"{dialect}: there is no first migration yet; run without --empty")
        # aerich's init-db: writes 0_<timestamp>_init.py with the whole schema (and applies it
        # to the scratch database). Its CLI skips Migrate.init for this command; so do we.
        async with aerich_command(url, location, init=False) as command:
            await command.init_db(safe=True)
        (first,) = version_files(staging)  # aerich always names it 0_<timestamp>_init.py
        return (staging / first).rename(staging / re.sub(r"_init\.py$", f"_{name}.py", first))
    # aerich diffs against the models state of the last migration *applied to the database*,
    # so bring the scratch database to head first, then diff in a fresh Command (Migrate.init
    # reads that state when the Command opens).
    async with aerich_command(url, location) as command:
        await command.upgrade(run_in_transaction=True)
    async with aerich_command(url, location) as command:
        try:
            written = await command.migrate(name, empty=empty, no_input=not interactive)
        except NotSupportError as exc:
            raise MigrationError(
                f"{dialect}: aerich cannot generate this change ({exc}); nothing was written. "
                f"Run `python -m orm.makemigrations {name} --dialect postgres`, then "
                f"`python -m orm.makemigrations {name} --dialect sqlite --empty` and put the "
                "SQLite SQL into that file's upgrade() and downgrade(): none for a comment, "
                "a table rebuild for a column's type, NULL-ness or default."
            ) from exc
    return staging / written if written else None


def _install(staged: list[tuple[Path, Path]]) -> list[Path]:
    written = []
    for file, destination in staged:
        destination.mkdir(parents=True, exist_ok=True)
        shutil.copy2(file, destination / file.name)
        written.append(destination / file.name)
    return written


def _display(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m orm.makemigrations",
        description="Write the next aerich migration for PostgreSQL and for SQLite.",
    )
    parser.add_argument("name", help="migration name, e.g. add_call_notes")
    parser.add_argument(
        "--dialect", choices=DIALECTS, action="append", help="only this dialect (repeatable)"
    )
    parser.add_argument(
        "--empty", action="store_true", help="write an empty migration to fill in by hand"
    )
    args = parser.parse_args(argv)
    try:
        asyncio.run(
            make_migrations(
                args.name,
                dialects=tuple(args.dialect or DIALECTS),
                empty=args.empty,
                interactive=sys.stdin.isatty(),
            )
        )
    except PostgresUnavailableError as exc:
        message = " ".join(str(exc).split())  # one line, whatever the driver said
        print(f"makemigrations: {message}; set MAKEMIGRATIONS_POSTGRES_URL", file=sys.stderr)
        return 1
    except MigrationError as exc:
        print(f"makemigrations: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
