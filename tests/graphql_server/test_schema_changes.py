"""The breaking-change check of `make lint`: graphql_api/schema_changes.py."""

from __future__ import annotations

from pathlib import Path

from graphql_api import schema_changes
from graphql_api.schema import schema_sdl

ROOT = Path(__file__).resolve().parents[2]

OLD = """
type Query {
  agent(id: ID!): Agent
  agents: [Agent!]!
}

type Agent {
  id: ID!
  name: String!
  phoneNumber: String
  greeting: String @deprecated(reason: "Use welcome.")
  welcome: String
  status: AgentStatus!
}

enum AgentStatus {
  ACTIVE
  PAUSED
  ARCHIVED @deprecated(reason: "Delete instead.")
}
"""


def _without(sdl: str, line: str) -> str:
    assert line in sdl
    return sdl.replace(line, "", 1)


def test_an_additive_change_needs_no_record():
    # given
    new = OLD.replace("  welcome: String\n", "  welcome: String\n  voice: String\n")

    # when / then
    assert schema_changes.problems(OLD, new, "") == []


def test_an_unrecorded_removal_is_refused():
    # given
    new = _without(OLD, "  phoneNumber: String\n")

    # when
    found = schema_changes.problems(OLD, new, "")

    # then
    assert found == [
        "FIELD_REMOVED: Field Agent.phoneNumber was removed. "
        "(record it in docs/schema-changes.md, or keep the old element)"
    ]


def test_a_change_recorded_under_v1_passes():
    # given: schema v1 may break without deprecating first
    new = _without(OLD, "  phoneNumber: String\n").replace("name: String!", "name: Int!")
    changes = (
        "# Schema changes\n\n## v1\n\n"
        "- `Field Agent.phoneNumber was removed.` Read `Agent.number` instead.\n"
        "- Field Agent.name changed type from String! to Int!.\n"
    )

    # when / then
    assert schema_changes.problems(OLD, new, changes) == []


def test_after_v1_a_live_field_or_value_is_deprecated_before_it_is_removed():
    # given: recorded, but under a later version, and never deprecated
    new = _without(_without(OLD, "  phoneNumber: String\n"), "  PAUSED\n")
    changes = (
        "## v2\n\n- Field Agent.phoneNumber was removed.\n"
        "- Enum value AgentStatus.PAUSED was removed.\n"
    )

    # when
    found = schema_changes.problems(OLD, new, changes)

    # then
    assert [problem.split(":", 1)[0] for problem in found] == [
        "FIELD_REMOVED",
        "VALUE_REMOVED_FROM_ENUM",
    ]
    assert all(problem.endswith("(deprecate it first, remove later)") for problem in found)


def test_after_v1_a_deprecated_field_or_value_may_go_once_recorded():
    # given
    new = _without(
        _without(OLD, '  greeting: String @deprecated(reason: "Use welcome.")\n'),
        '  ARCHIVED @deprecated(reason: "Delete instead.")\n',
    )
    changes = (
        "## v2\n\n- Field Agent.greeting was removed.\n"
        "- Enum value AgentStatus.ARCHIVED was removed.\n"
    )

    # when / then
    assert schema_changes.problems(OLD, new, changes) == []


def test_the_committed_schema_has_no_unrecorded_breaking_change():
    # given: what `make lint` runs, against the working tree's schema.graphql
    committed = (ROOT / "schema.graphql").read_text()
    changes = (ROOT / "docs" / "schema-changes.md").read_text()

    # when / then
    assert schema_changes.problems(committed, schema_sdl(), changes) == []
