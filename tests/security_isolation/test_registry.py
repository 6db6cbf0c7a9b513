"""The registry follows the schema: a new field with an id argument fails here until it has a
case, and a case for a field (or argument) that is gone fails too."""

from __future__ import annotations

from graphql import build_schema as build_sdl_schema

from graphql_api.node import node_types as node_classes
from tests.security_isolation.cases import NODE, REGISTRY, Case, NodeCase, SubscriptionCase
from tests.security_isolation.schema_facts import (
    PERMISSIONS_DOC,
    documented_permission,
    documented_requirements,
    fields_taking_ids,
    live_schema,
    node_types,
    requirement_of,
)

SCHEMA_FILE = PERMISSIONS_DOC.parents[1] / "schema.graphql"


def _declared_id_arguments(case: Case | NodeCase | SubscriptionCase) -> set[str]:
    if isinstance(case, NodeCase):
        return {case.id_argument}
    if isinstance(case, SubscriptionCase):
        return {case.target_arg}
    return {case.target_arg, *case.other_ids}


def test_every_field_that_takes_an_id_has_an_isolation_case():
    # given
    enumerated = fields_taking_ids()

    # when
    missing = sorted(set(enumerated) - set(REGISTRY))

    # then
    assert missing == [], (
        f"fields that take an id but have no isolation case in "
        f"tests/security_isolation/cases.py: {missing}"
    )


def test_every_case_names_a_field_that_still_takes_an_id():
    # when
    gone = sorted(set(REGISTRY) - set(fields_taking_ids()))

    # then
    assert gone == [], f"isolation cases for fields that no longer exist or take no id: {gone}"


def test_each_case_accounts_for_every_id_argument_of_its_field():
    # given
    enumerated = fields_taking_ids()

    # when
    mismatched = {
        key: (sorted(_declared_id_arguments(case)), sorted(enumerated[key]))
        for key, case in REGISTRY.items()
        if key in enumerated and _declared_id_arguments(case) != enumerated[key]
    }

    # then: (declared, in the schema)
    assert mismatched == {}


def test_each_case_targets_the_argument_the_permission_check_resolves():
    # when
    wrong = {}
    for key, case in REGISTRY.items():
        requirement = requirement_of(key)
        if isinstance(case, NodeCase):
            if requirement.kind != "authenticated":
                wrong[key] = requirement
        elif requirement.kind == "org":
            if case.target_arg != requirement.scope_path:
                wrong[key] = (case.target_arg, requirement.scope_path)
        elif requirement.kind != "platform_admin":
            # Anything else taking an id (anyone, any user) needs a thought-out case.
            wrong[key] = requirement

    # then
    assert wrong == {}


def test_docs_state_the_permission_the_code_checks_for_every_case():
    # given
    documented = documented_requirements()

    # when
    disagreeing = {}
    for key in REGISTRY:
        requirement = requirement_of(key)
        expected = {
            "org": requirement.permission,
            "platform_admin": None,
            "authenticated": None,
        }[requirement.kind]
        if documented_permission(key) != expected:
            disagreeing[key] = (documented[key], requirement)
        if requirement.kind == "platform_admin" and documented[key] != "platform admin":
            disagreeing[key] = (documented[key], requirement)

    # then
    assert disagreeing == {}


def test_the_node_case_covers_every_node_type():
    # then
    assert set(NODE.targets) == node_types()
    assert set(node_classes()) == node_types()


def test_node_asks_for_the_same_permission_as_the_direct_readers():
    # when
    checked_by_node = {
        name: node_class.node_kind.permission.value
        for name, node_class in node_classes().items()
        if node_class.node_kind.permission is not None
    }
    checked_by_readers = {
        name: requirement_of(reader).permission for name, reader in NODE.readers.items()
    }

    # then
    assert checked_by_node == checked_by_readers


def test_the_published_schema_has_the_same_fields_taking_ids():
    # given
    published = build_sdl_schema(SCHEMA_FILE.read_text())

    # then
    assert fields_taking_ids(published) == fields_taking_ids(live_schema()._schema)


def test_the_enumeration_finds_ids_in_arguments_lists_and_nested_inputs():
    # given: a schema with a new field of each shape
    schema = build_sdl_schema(
        """
        type Query { ok: Int, thing(id: ID!): Int, things(ids: [ID!]): Int }
        input Inner { targetId: ID, note: String }
        input Outer { inner: Inner!, many: [Inner!], name: String }
        type Mutation { thingChange(input: Outer!): Int, plain(name: String): Int }
        type Subscription { thingWatch(thingId: ID!): Int }
        type Thing { child(id: ID): Int }
        """
    )

    # when
    found = fields_taking_ids(schema)

    # then
    assert found == {
        "Query.thing": {"id"},
        "Query.things": {"ids"},
        "Mutation.thingChange": {"input.inner.targetId", "input.many.targetId"},
        "Subscription.thingWatch": {"thingId"},
        "Thing.child": {"id"},
    }
