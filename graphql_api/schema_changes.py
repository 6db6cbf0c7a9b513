"""A breaking change to the public schema lands only when docs/schema-changes.md records it.

Partners generate code from `schema.graphql`; a field that disappears or changes type breaks
their build. `python -m graphql_api.schema_changes` (part of `make lint`) compares the schema
the server builds with the committed `schema.graphql` (in the working tree, and at each git
revision given with `--against`, HEAD by default) using graphql-core's
`find_breaking_changes`. Each breaking change must appear, with graphql-core's own wording,
as a list item of docs/schema-changes.md. After v1 a field or enum value is removed only
once it was deprecated: a removal of a live one is refused even when recorded.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from graphql import (
    BreakingChange,
    BreakingChangeType,
    GraphQLEnumType,
    GraphQLSchema,
    build_schema,
    find_breaking_changes,
    is_interface_type,
    is_object_type,
)

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_FILE = ROOT / "schema.graphql"
CHANGES_FILE = ROOT / "docs" / "schema-changes.md"
# Breaking changes recorded under this heading were allowed without deprecation.
FIRST_VERSION = "v1"
_SECTION = re.compile(r"^##\s+(\S+)")
_ITEM = re.compile(r"^\s*[-*]\s+(.*\S)\s*$")
_STANDARD_SCALAR = re.compile(r"^Standard scalar \w+ was removed because it is not referenced")
# graphql-core 3.3's wording: "Field T.f was removed.", "Enum value E.V was removed."
_REMOVED = re.compile(r"^(?:Field|Enum value) (\w+)\.(\w+) was removed\.")


@dataclass(frozen=True)
class Recorded:
    description: str
    version: str


def recorded_changes(text: str) -> dict[str, Recorded]:
    """Each list item's text (backticks dropped) by itself, with the version it is under."""
    found: dict[str, Recorded] = {}
    version = ""
    for line in text.splitlines():
        if section := _SECTION.match(line):
            version = section.group(1)
        elif item := _ITEM.match(line):
            description = item.group(1).replace("`", "")
            found[description] = Recorded(description, version)
    return found


def problems(old_sdl: str, new_sdl: str, changes_text: str) -> list[str]:
    """What keeps the change from old_sdl to new_sdl from landing; empty when nothing does."""
    old, new = build_schema(old_sdl), build_schema(new_sdl)
    records = recorded_changes(changes_text)
    found = []
    for change in find_breaking_changes(old, new):
        if _STANDARD_SCALAR.match(change.description):  # unused now; no client can tell
            continue
        record = _record_of(change, records)
        if record is None:
            found.append(
                f"{change.type.name}: {change.description} "
                f"(record it in docs/schema-changes.md, or keep the old element)"
            )
        elif record.version != FIRST_VERSION and _removes_a_live_element(change, old):
            found.append(
                f"{change.type.name}: {change.description} (deprecate it first, remove later)"
            )
    return found


def _record_of(change: BreakingChange, records: dict[str, Recorded]) -> Recorded | None:
    # An item may go on after graphql-core's sentence (a reason, the replacement).
    return next(
        (record for text, record in records.items() if text.startswith(change.description)),
        None,
    )


def _removes_a_live_element(change: BreakingChange, old: GraphQLSchema) -> bool:
    removed = _REMOVED.match(change.description)
    if removed is None:
        return False
    owner, name = old.get_type(removed.group(1)), removed.group(2)
    if change.type == BreakingChangeType.FIELD_REMOVED and (
        is_object_type(owner) or is_interface_type(owner)
    ):
        field = owner.fields.get(name)
        return field is not None and field.deprecation_reason is None
    if change.type == BreakingChangeType.VALUE_REMOVED_FROM_ENUM and isinstance(
        owner, GraphQLEnumType
    ):
        value = owner.values.get(name)
        return value is not None and value.deprecation_reason is None
    return False


def _committed_at(revision: str) -> str | None:
    git = shutil.which("git")
    if git is None:  # no git: only the working tree's file is compared
        return None
    # The revision comes from the developer's own command line (or HEAD).
    shown = subprocess.run(  # noqa: S603
        [git, "show", f"{revision}:schema.graphql"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return shown.stdout if shown.returncode == 0 else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument(
        "--against",
        action="append",
        metavar="REVISION",
        help="also compare with schema.graphql at this git revision (default: HEAD)",
    )
    args = parser.parse_args(argv)
    from graphql_api.schema import schema_sdl

    current = schema_sdl()
    changes_text = CHANGES_FILE.read_text() if CHANGES_FILE.exists() else ""
    bases = {"schema.graphql": SCHEMA_FILE.read_text()}
    for revision in args.against or ["HEAD"]:
        if (committed := _committed_at(revision)) is not None:
            bases[f"{revision}:schema.graphql"] = committed
    failed = False
    for name, old_sdl in bases.items():
        for problem in problems(old_sdl, current, changes_text):
            print(f"breaking change against {name}: {problem}", file=sys.stderr)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
