"""Global ids are URL-safe base64 without padding; ids in the old form (standard base64 with
padding, issued before schema v1) still name the same objects."""

import base64
import re
import uuid

from graphql_api import ids
from tests.support.graphql import error_codes
from tests.support.ids import global_id

URL_SAFE = re.compile(r"[A-Za-z0-9_-]+")

EVERYTHING = """
query Everything($org: ID!) {
  me { id memberships { id role { id } } }
  organization(id: $org) {
    id
    agents { edges { node { id } } }
    apiKeys { id role { id } }
    members { id user { id } }
  }
  calls(organizationId: $org) { edges { node { id } } }
  billingSummary(organizationId: $org) { plan { id } ledger { edges { node { id } } } }
  platformTools { id }
  plans { id }
  roles { id }
}
"""

AGENT_BY_ID = "query Agent($id: ID!) { agent(id: $id) { id name } }"
ORGANIZATION_BY_ID = "query Organization($id: ID!) { organization(id: $id) { id name } }"
NODE = "query Node($id: ID!) { node(id: $id) { id } }"


def _old_form(type_name: str, database_id: uuid.UUID) -> str:
    """An id as issued before schema v1: standard base64, padded."""
    return base64.b64encode(f"{type_name}:{database_id}".encode()).decode()


def _ids_in(value: object) -> list[str]:
    if isinstance(value, dict):
        found = [v for k, v in value.items() if k == "id" and isinstance(v, str)]
        return found + [i for v in value.values() for i in _ids_in(v)]
    if isinstance(value, list):
        return [i for v in value for i in _ids_in(v)]
    return []


async def test_every_id_the_api_issues_is_url_safe_without_padding(gql, make):
    # given an organization with something of every kind
    tenant = await make.tenant()
    await make.agent(tenant)
    await make.api_key(tenant, "member")
    await make.member(tenant, "billing")
    await make.call(tenant)
    await make.grant_credits(tenant, 100)

    # when
    data = await gql.data(EVERYTHING, {"org": tenant.organization_id}, token=tenant.token)

    # then
    issued = _ids_in(data)
    assert len(issued) > 10
    for issued_id in issued:
        assert URL_SAFE.fullmatch(issued_id), issued_id
        assert ids.decode_any(issued_id) is not None, issued_id


async def test_an_id_in_the_old_padded_form_still_names_its_object(gql, make):
    # given ids as a client stored them before v1 ("Organization:<uuid>" needs padding)
    tenant = await make.tenant("Old Ids")
    agent = await make.agent(tenant, name="Old Agent")
    old_organization_id = _old_form("Organization", tenant.organization_uuid)
    old_agent_id = _old_form("Agent", agent.id)
    assert old_organization_id.endswith("=")

    # when
    organization = await gql.data(
        ORGANIZATION_BY_ID, {"id": old_organization_id}, token=tenant.token
    )
    by_agent = await gql.data(AGENT_BY_ID, {"id": old_agent_id}, token=tenant.token)
    by_node = await gql.data(NODE, {"id": old_organization_id}, token=tenant.token)

    # then: answered, with the id in the new form
    assert organization["organization"] == {"id": tenant.organization_id, "name": "Old Ids"}
    assert by_agent["agent"] == {"id": global_id("Agent", agent.id), "name": "Old Agent"}
    assert by_node["node"] == {"id": tenant.organization_id}


async def test_an_old_id_of_another_type_is_not_found(gql, make):
    # given
    tenant = await make.tenant()

    # when
    body = await gql.execute(
        AGENT_BY_ID, {"id": _old_form("Organization", tenant.organization_uuid)}, token=tenant.token
    )

    # then
    assert body["data"] == {"agent": None}
    assert error_codes(body) == ["NOT_FOUND"]


def test_an_id_decodes_with_or_without_padding():
    # given (our ids spell only letters, digits, `:` and `-`: the two base64 alphabets write
    # them alike, and the forms differ in their padding only)
    database_id = uuid.uuid4()
    new = ids.encode("Organization", database_id)
    old = _old_form("Organization", database_id)

    # when / then
    assert not new.endswith("=") and old.endswith("=")
    assert old.rstrip("=") == new
    for form in (new, old):
        assert ids.decode(form, "Organization") == database_id, form


def test_text_that_is_no_global_id_decodes_to_nothing():
    # given
    not_ids = ["", "=", "a", "ab$d", "QWdlbnQ", "x" * 1000, "QWdlbnQ6bm90LWEtdXVpZA"]

    # when / then
    for text in not_ids:
        assert ids.decode_any(text) is None, text
