"""customFunctionUpdate: partial changes, URL and parameters checked together, secrets replaced."""

from __future__ import annotations

from core.security.unsealing import unseal
from core.services.custom_functions import secret_headers_context
from core.settings import parse_encryption_keys
from orm.models import CustomFunction
from tests.support.factories import ORDER_PARAMETERS
from tests.support.ids import global_id
from tests.support.operations import (
    CUSTOM_FUNCTION_UPDATE,
    CUSTOM_FUNCTIONS,
)


async def _update(gql, tenant, function, **changes):  # type: ignore[no-untyped-def]
    return await gql.payload(
        CUSTOM_FUNCTION_UPDATE,
        {"input": {"id": global_id("CustomFunction", function.id), **changes}},
        token=tenant.token,
    )


async def _setup(make, **values):  # type: ignore[no-untyped-def]
    """An organization with one custom function, lookup_order (snake_case `values`)."""
    tenant = await make.tenant("Update Co")
    function = await make.custom_function(tenant, **{"name": "lookup_order", **values})
    return tenant, function


async def test_partial_update_keeps_what_is_omitted(gql, make):
    # given
    tenant, function = await _setup(make, headers={"X-Client": "voice"}, timeout_seconds=5)
    listed = await gql.data(
        CUSTOM_FUNCTIONS, {"organizationId": tenant.organization_id}, token=tenant.token
    )
    (before,) = listed["customFunctions"]

    # when
    payload = await _update(
        gql, tenant, function, description="Find an order.", timeoutSeconds=7.5, isActive=False
    )

    # then
    assert payload["errors"] == []
    updated = payload["customFunction"]
    assert updated["description"] == "Find an order."
    assert updated["timeoutSeconds"] == 7.5
    assert updated["isActive"] is False
    unchanged = {
        k: v for k, v in before.items() if k not in ("description", "timeoutSeconds", "isActive")
    }
    assert {k: updated[k] for k in unchanged} == unchanged
    row = await CustomFunction.get(id=function.id)
    assert (row.description, row.timeout_seconds, row.is_active) == ("Find an order.", 7.5, False)
    assert row.headers == {"X-Client": "voice"}


async def test_url_with_a_placeholder_missing_from_current_parameters_is_refused(gql, make):
    # given
    tenant, function = await _setup(make)

    # when
    payload = await _update(
        gql, tenant, function, urlTemplate="https://api.example.com/customers/{customer_id}"
    )

    # then
    assert payload["customFunction"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("urlTemplate", "INVALID_URL")]
    row = await CustomFunction.get(id=function.id)
    assert row.url_template == "https://api.example.com/orders/{order_id}"


async def test_parameters_that_drop_a_url_placeholder_are_refused(gql, make):
    # given
    tenant, function = await _setup(make)

    # when: the stored URL still uses {order_id}
    payload = await _update(
        gql,
        tenant,
        function,
        parameters={"type": "object", "properties": {"q": {"type": "string"}}},
    )

    # then
    assert payload["customFunction"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("urlTemplate", "INVALID_URL")]
    row = await CustomFunction.get(id=function.id)
    assert row.parameters == ORDER_PARAMETERS


async def test_url_and_parameters_changed_together(gql, make):
    # given
    tenant, function = await _setup(make)
    parameters = {
        "type": "object",
        "properties": {"customer_id": {"type": "string"}},
        "required": ["customer_id"],
    }

    # when
    payload = await _update(
        gql,
        tenant,
        function,
        parameters=parameters,
        urlTemplate="https://api.example.com/customers/{customer_id}",
    )

    # then
    assert payload["errors"] == []
    assert payload["customFunction"]["parameters"] == parameters
    assert payload["customFunction"]["urlTemplate"] == (
        "https://api.example.com/customers/{customer_id}"
    )
    row = await CustomFunction.get(id=function.id)
    assert (row.parameters, row.url_template) == (
        parameters,
        "https://api.example.com/customers/{customer_id}",
    )


async def test_invalid_changes_are_payload_errors(gql, make):
    # given
    tenant, function = await _setup(make)
    await make.custom_function(tenant, name="other_function")

    # when
    taken = await _update(gql, tenant, function, name="other_function")
    platform = await _update(gql, tenant, function, name="calendar_cancel_event")
    bad = await _update(
        gql, tenant, function, method="TRACE", timeoutSeconds=0.1, headers={"Host": "x"}
    )

    # then
    for refused in (taken, platform, bad):
        assert refused["customFunction"] is None
    assert [(e["field"], e["code"]) for e in taken["errors"]] == [("name", "NAME_TAKEN")]
    assert [(e["field"], e["code"]) for e in platform["errors"]] == [("name", "NAME_TAKEN")]
    assert sorted((e["field"], e["code"]) for e in bad["errors"]) == [
        ("headers", "INVALID_HEADERS"),
        ("method", "INVALID_METHOD"),
        ("timeoutSeconds", "INVALID_TIMEOUT"),
    ]
    row = await CustomFunction.get(id=function.id)
    assert (row.name, row.method, row.timeout_seconds, row.headers) == (
        "lookup_order",
        "GET",
        10.0,
        {},
    )


async def test_renaming_to_its_own_name_is_fine(gql, make):
    # given
    tenant, function = await _setup(make)

    # when
    payload = await _update(gql, tenant, function, name="lookup_order")

    # then
    assert payload["errors"] == []
    assert payload["customFunction"]["name"] == "lookup_order"


async def test_secret_headers_are_replaced_as_a_whole(gql, make, server):
    # given
    tenant, function = await _setup(
        make, secret_headers={"Authorization": "Bearer old-planted-value", "X-Api-Key": "k-old"}
    )
    keys = parse_encryption_keys(server.settings.encryption_keys.get_secret_value())

    # when
    payload = await _update(
        gql, tenant, function, secretHeaders={"X-Api-Key": "k-new-planted-value"}
    )

    # then
    assert payload["errors"] == []
    assert payload["customFunction"]["secretHeaderNames"] == ["X-Api-Key"]
    row = await CustomFunction.get(id=function.id)
    assert row.secret_header_names == ["X-Api-Key"]
    assert row.sealed_secret_headers.startswith("v1.")
    assert "k-new-planted-value" not in row.sealed_secret_headers
    assert unseal(row.sealed_secret_headers, context=secret_headers_context(row), keys=keys) == {
        "X-Api-Key": "k-new-planted-value"
    }


async def test_an_update_without_secret_headers_keeps_them(gql, make):
    # given
    tenant, function = await _setup(make, secret_headers={"Authorization": "Bearer keep-me"})

    # when
    payload = await _update(gql, tenant, function, description="Still secret.")

    # then
    assert payload["errors"] == []
    assert payload["customFunction"]["secretHeaderNames"] == ["Authorization"]
    row = await CustomFunction.get(id=function.id)
    assert row.sealed_secret_headers == function.sealed_secret_headers


async def test_empty_secret_headers_clear_them(gql, make):
    # given
    tenant, function = await _setup(make, secret_headers={"Authorization": "Bearer gone"})

    # when
    payload = await _update(gql, tenant, function, secretHeaders={})

    # then
    assert payload["errors"] == []
    assert payload["customFunction"]["secretHeaderNames"] == []
    row = await CustomFunction.get(id=function.id)
    assert row.sealed_secret_headers is None
    assert row.secret_header_names == []


async def test_invalid_secret_headers_change_nothing(gql, make):
    # given
    tenant, function = await _setup(make, secret_headers={"Authorization": "Bearer stays"})

    # when
    payload = await _update(
        gql,
        tenant,
        function,
        description="Changed?",
        secretHeaders={"Authorization": "Bearer x\r\nHost: evil"},
    )

    # then
    assert payload["customFunction"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("secretHeaders", "INVALID_HEADERS")
    ]
    row = await CustomFunction.get(id=function.id)
    assert row.sealed_secret_headers == function.sealed_secret_headers
    assert row.description == "Look up an order by its number."
