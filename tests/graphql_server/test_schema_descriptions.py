"""Every type, field, argument and enum value of the public schema is described, so a partner
generating a client reads what each one means; a new element without a description fails
here, named. Where a description has a single source (a mutation's docstring, a core error
code, a field's permission), the schema carries that source's text."""

from pathlib import Path

import graphql
import strawberry

from core.errors import DescribedEnum
from core.services.agents import AgentErrorCode
from core.settings import Settings
from graphql_api.descriptions import error_code_enum, undocumented
from graphql_api.errors import (
    CODE_DESCRIPTION,
    PAYLOAD_ERROR_DESCRIPTION,
    Payload,
    PayloadError,
    mutation,
)
from graphql_api.permissions import anyone
from graphql_api.schema import build_schema

ROOT = Path(__file__).resolve().parents[2]

DESCRIBED = '''
"""The entry points."""
type Query {
  """A greeting."""
  hello(
    """Who to greet."""
    name: String
  ): String
  """How it went."""
  outcome: Outcome
}

"""How something went."""
enum Outcome {
  """It worked."""
  OK
}

"""What to change."""
input Change {
  """The new name."""
  name: String
}

"""A thing with a name."""
interface Named {
  """Its name."""
  name: String
}

"""The entry points for changes."""
type Mutation {
  """Change it."""
  change(
    """The change."""
    input: Change
  ): String
}
'''


def test_every_element_of_the_public_schema_is_described():
    # given
    schema = build_schema(Settings(introspection_enabled=True))

    # when
    missing = undocumented(schema._schema)

    # then
    assert missing == [], f"{len(missing)} elements without a description: {missing}"


def test_the_committed_schema_file_has_no_undocumented_element():
    # given
    committed = graphql.build_schema((ROOT / "schema.graphql").read_text())

    # when
    missing = undocumented(committed)

    # then
    assert missing == []


def test_a_fully_described_schema_has_nothing_missing():
    # given
    schema = graphql.build_schema(DESCRIBED)

    # when
    missing = undocumented(schema)

    # then
    assert missing == []


def test_each_kind_of_undocumented_element_is_named():
    # given: one element of each kind loses its description
    stripped = (
        DESCRIBED.replace('"""A greeting."""', "")
        .replace('"""Who to greet."""', "")
        .replace('"""It worked."""', "")
        .replace('"""The new name."""', "")
        .replace('"""Its name."""', "")
        .replace('"""How something went."""', "")
    )

    # when
    missing = undocumented(graphql.build_schema(stripped))

    # then
    assert missing == [
        "Change.name",
        "Named.name",
        "Outcome",
        "Outcome.OK",
        "Query.hello",
        "Query.hello(name)",
    ]


def test_a_new_strawberry_field_without_a_description_is_named():
    # given: a type written the way every type in graphql_api is, with one field undescribed
    @strawberry.type(description="A thing.")
    class Thing:
        name: str = strawberry.field(description="Its name.")
        size: int

    @strawberry.type(description="The entry points.")
    class Query:
        @strawberry.field(description="The thing.")
        def thing(self) -> Thing:
            return Thing(name="x", size=1)

    # when
    missing = undocumented(strawberry.Schema(query=Query)._schema)

    # then
    assert missing == ["Thing.size"]


class GadgetErrorCode(DescribedEnum):
    BROKEN = "broken", "The gadget is broken."


error_code_enum(GadgetErrorCode, name="GadgetErrorCode", description="Why a gadget was refused.")


@strawberry.type(description=PAYLOAD_ERROR_DESCRIPTION)
class GadgetError(PayloadError):
    code: GadgetErrorCode = strawberry.field(description=CODE_DESCRIPTION)


@strawberry.type(description="The gadget made.")
class GadgetPayload(Payload[GadgetError]):
    name: str | None = strawberry.field(default=None, description="Its name.")


@strawberry.input(description="What the gadget is called.")
class GadgetInput:
    name: str = strawberry.field(description="Its name.")


async def gadget_make(input: GadgetInput) -> GadgetPayload:
    """Make a gadget.

    A second paragraph is for the code's readers, not for clients.
    """
    return GadgetPayload(name=input.name)


def test_a_mutation_takes_its_descriptions_from_its_single_sources():
    # given: a mutation declared the one way, its error codes from a core enum
    @strawberry.type(description="The entry points.")
    class Query:
        @strawberry.field(description="Always true.")
        def ok(self) -> bool:
            return True

    @strawberry.type(description="The changes.")
    class Mutation:
        gadget_make = mutation(gadget_make, permission=anyone())

    # when
    schema = strawberry.Schema(query=Query, mutation=Mutation)._schema

    # then
    field = schema.mutation_type.fields["gadgetMake"]
    assert field.description == "Make a gadget."
    assert field.args["input"].description == "What the gadget is called."
    errors = schema.type_map["GadgetPayload"].fields["errors"]
    assert errors.description.startswith("Why the mutation was refused")
    codes = schema.type_map["GadgetErrorCode"]
    assert codes.values["BROKEN"].description == "The gadget is broken."
    assert undocumented(schema) == []


def test_an_error_code_of_the_schema_carries_its_core_description():
    # given
    schema = build_schema(Settings(introspection_enabled=True))._schema

    # when
    codes = schema.type_map["AgentErrorCode"]

    # then
    assert {name: value.description for name, value in codes.values.items()} == {
        member.name: member.description for member in AgentErrorCode
    }


def test_a_field_states_the_permission_it_requires():
    # given
    schema = build_schema(Settings(introspection_enabled=True))._schema

    # when
    create = schema.mutation_type.fields["agentCreate"].description
    agent = schema.query_type.fields["agent"].description

    # then
    assert create.endswith("Requires: `agent:create` in the organization `input.organizationId`.")
    assert agent.endswith(
        "Requires: `agent:read` in the Agent's organization (`id`); otherwise null, with the error."
    )
