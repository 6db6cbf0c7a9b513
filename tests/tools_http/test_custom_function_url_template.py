"""A URL template's placeholders are bare parameter names, checked by parsing, never formatting.

`str.format` on a stored template runs whatever the template says: `{q:>300000000}` pads to
300 MB, `{q.__class__}` reaches into the value's attributes, `{q[0]}` indexes it. The
definition is refused before anything is formatted, so refusing the memory bomb allocates
no more than any other request (measured with tracemalloc around the HTTP request; the
session's server runs in this process).
"""

from __future__ import annotations

import tracemalloc

import pytest

from orm.models import CustomFunction
from tests.support.ids import global_id
from tests.support.operations import CUSTOM_FUNCTION_CREATE, CUSTOM_FUNCTION_UPDATE
from tests.tools_http.helpers import function_input

MEMORY_BOMB = "https://api.example.com/{order_id:>300000000}"
# The bomb would allocate 300 MB; refusing it must cost what any small request costs.
ALLOCATION_BOUND_BYTES = 8 * 1024 * 1024

REFUSED_TEMPLATES = [
    pytest.param(MEMORY_BOMB, id="format-spec-padding"),
    pytest.param("https://api.example.com/{order_id:x}", id="format-spec-type"),
    pytest.param("https://api.example.com/{order_id:}", id="empty-format-spec"),
    pytest.param("https://api.example.com/{order_id:{verbose}}", id="nested-placeholder"),
    pytest.param("https://api.example.com/{order_id!r}", id="conversion-repr"),
    pytest.param("https://api.example.com/{order_id!s}", id="conversion-str"),
    pytest.param("https://api.example.com/{order_id.__class__}", id="attribute"),
    pytest.param("https://api.example.com/{order_id.upper}", id="method-attribute"),
    pytest.param("https://api.example.com/{order_id[0]}", id="index"),
    pytest.param("https://api.example.com/{order_id[__class__]}", id="index-by-name"),
    pytest.param("https://api.example.com/{}", id="positional"),
    pytest.param("https://api.example.com/{0}", id="numbered"),
    pytest.param("https://api.example.com/{ order_id }", id="spaces-around-the-name"),
    pytest.param("https://api.example.com/{order_id", id="unclosed-brace"),
    pytest.param("https://api.example.com/order_id}", id="stray-closing-brace"),
    pytest.param("https://api.example.com/{order_id!}", id="empty-conversion"),
]


async def _create(gql, tenant, template):  # type: ignore[no-untyped-def]
    return await gql.payload(
        CUSTOM_FUNCTION_CREATE,
        function_input(tenant.organization_id, urlTemplate=template),
        token=tenant.token,
    )


@pytest.mark.parametrize("template", REFUSED_TEMPLATES)
async def test_a_placeholder_that_is_not_a_bare_parameter_name_is_refused(gql, make, template):
    # given
    tenant = await make.tenant("Template Co")

    # when
    payload = await _create(gql, tenant, template)

    # then
    assert payload["customFunction"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("urlTemplate", "INVALID_URL")]
    assert await CustomFunction.filter(organization_id=tenant.organization_uuid).count() == 0


async def test_the_memory_bomb_is_refused_without_being_formatted(gql, make):
    # given
    tenant = await make.tenant("Bomb Co")
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        baseline, _ = tracemalloc.get_traced_memory()

        # when
        payload = await _create(gql, tenant, MEMORY_BOMB)

        # then
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak - baseline < ALLOCATION_BOUND_BYTES
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("urlTemplate", "INVALID_URL")]
    assert await CustomFunction.filter(organization_id=tenant.organization_uuid).count() == 0


async def test_the_refusal_names_the_rule(gql, make):
    # given
    tenant = await make.tenant("Message Co")

    # when
    payload = await _create(gql, tenant, "https://api.example.com/{order_id.__class__}")

    # then
    [error] = payload["errors"]
    assert "{parameter}" in error["message"]
    assert "__class__" not in error["message"]


async def test_an_update_to_a_bomb_is_refused_and_keeps_the_old_template(gql, make):
    # given
    tenant = await make.tenant("Update Bomb Co")
    function = await make.custom_function(tenant, name="lookup_order")

    # when
    payload = await gql.payload(
        CUSTOM_FUNCTION_UPDATE,
        {"input": {"id": global_id("CustomFunction", function.id), "urlTemplate": MEMORY_BOMB}},
        token=tenant.token,
    )

    # then
    assert payload["customFunction"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("urlTemplate", "INVALID_URL")]
    row = await CustomFunction.get(id=function.id)
    assert row.url_template == "https://api.example.com/orders/{order_id}"


@pytest.mark.parametrize(
    "template",
    [
        "https://api.example.com/orders/{order_id}",
        "https://api.example.com/orders/{order_id}/lines?verbose={verbose}",
        "https://api.example.com/orders/{order_id}-{order_id}",
        "https://api.example.com/literal/{{braces}}/{order_id}",
        "https://api.example.com/no-placeholders",
    ],
)
async def test_bare_names_and_escaped_braces_are_accepted(gql, make, template):
    # given
    tenant = await make.tenant("Fine Co")

    # when
    payload = await _create(gql, tenant, template)

    # then
    assert payload["errors"] == []
    assert payload["customFunction"]["urlTemplate"] == template
