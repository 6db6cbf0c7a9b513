from pathlib import Path

from core.settings import Settings
from graphql_api import permissions_doc
from graphql_api.schema import build_schema, schema_sdl

ROOT = Path(__file__).resolve().parents[2]


def test_committed_schema_is_up_to_date():
    # given
    committed = (ROOT / "schema.graphql").read_text()

    # when
    current = schema_sdl()

    # then
    assert committed == current, "schema.graphql is stale: run `make schema`"


def test_committed_permissions_doc_is_up_to_date():
    # given
    committed = (ROOT / "docs" / "permissions.md").read_text()

    # when
    current = permissions_doc.render()

    # then
    assert committed == current, (
        "docs/permissions.md is stale: run "
        "`voiceagents permissions-doc --output docs/permissions.md`"
    )


def test_every_query_and_mutation_field_is_in_the_permissions_doc():
    # given
    schema = build_schema(Settings(introspection_enabled=True))
    doc = permissions_doc.render()
    sections = {
        name: doc.split(f"### {name}\n", 1)[1].split("\n### ", 1)[0]
        for name in ("Query", "Mutation")
    }

    for type_name, section in sections.items():
        root = schema._schema.get_type(type_name)
        # when
        rows = {
            line.split("|")[1].strip().strip("`")
            for line in section.splitlines()
            if line.startswith("| `")
        }

        # then
        assert set(root.fields) == rows, type_name
