"""customFunctionUpdate: partial changes, URL and parameters checked together, secrets replaced."""

from __future__ import annotations

from core.security.unsealing import unseal
from core.services.custom_functions import secret_headers_context
from core.settings import parse_encryption_keys
from orm.models import CustomFunction
from tests.conftest import create_organization, sign_up
from tests.organizations.helpers import uuid_of
from tests.tools_http.helpers import CUSTOM_FUNCTION_UPDATE, ORDER_PARAMETERS, create_function


async def _update(gql, account, function_id, **changes):
    data = await gql.data(
        CUSTOM_FUNCTION_UPDATE, {"input": {"id": function_id, **changes}}, token=account.token
    )
    return data["customFunctionUpdate"]


async def _setup(gql, **overrides):
    owner = await sign_up(gql)
    organization_id = await create_organization(gql, owner, "Update Co")
    function = await create_function(gql, owner, organization_id, **overrides)
    return owner, organization_id, function


async def test_partial_update_keeps_what_is_omitted(gql):
    # given
    owner, _, function = await _setup(gql, headers={"X-Client": "voice"}, timeoutSeconds=5)

    # when
    payload = await _update(
        gql, owner, function["id"], description="Find an order.", timeoutSeconds=7.5, isActive=False
    )

    # then
    assert payload["errors"] == []
    updated = payload["customFunction"]
    assert updated["description"] == "Find an order."
    assert updated["timeoutSeconds"] == 7.5
    assert updated["isActive"] is False
    unchanged = {
        k: v for k, v in function.items() if k not in ("description", "timeoutSeconds", "isActive")
    }
    assert {k: updated[k] for k in unchanged} == unchanged
    row = await CustomFunction.get(id=uuid_of(function["id"]))
    assert (row.description, row.timeout_seconds, row.is_active) == ("Find an order.", 7.5, False)
    assert row.headers == {"X-Client": "voice"}


async def test_url_with_a_placeholder_missing_from_current_parameters_is_refused(gql):
    # given
    owner, _, function = await _setup(gql)

    # when
    payload = await _update(
        gql, owner, function["id"], urlTemplate="https://api.example.com/customers/{customer_id}"
    )

    # then
    assert payload["customFunction"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("urlTemplate", "INVALID_URL")]
    row = await CustomFunction.get(id=uuid_of(function["id"]))
    assert row.url_template == "https://api.example.com/orders/{order_id}"


async def test_parameters_that_drop_a_url_placeholder_are_refused(gql):
    # given
    owner, _, function = await _setup(gql)

    # when: the stored URL still uses {order_id}
    payload = await _update(
        gql,
        owner,
        function["id"],
        parameters={"type": "object", "properties": {"q": {"type": "string"}}},
    )

    # then
    assert payload["customFunction"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("urlTemplate", "INVALID_URL")]
    row = await CustomFunction.get(id=uuid_of(function["id"]))
    assert row.parameters == ORDER_PARAMETERS


async def test_url_and_parameters_changed_together(gql):
    # given
    owner, _, function = await _setup(gql)
    parameters = {
        "type": "object",
        "properties": {"customer_id": {"type": "string"}},
        "required": ["customer_id"],
    }

    # when
    payload = await _update(
        gql,
        owner,
        function["id"],
        parameters=parameters,
        urlTemplate="https://api.example.com/customers/{customer_id}",
    )

    # then
    assert payload["errors"] == []
    assert payload["customFunction"]["parameters"] == parameters
    assert payload["customFunction"]["urlTemplate"] == (
        "https://api.example.com/customers/{customer_id}"
    )


async def test_invalid_changes_are_payload_errors(gql):
    # given
    owner, organization_id, function = await _setup(gql)
    await create_function(gql, owner, organization_id, name="other_function")

    # when
    taken = await _update(gql, owner, function["id"], name="other_function")
    platform = await _update(gql, owner, function["id"], name="calendar_cancel_event")
    bad = await _update(
        gql, owner, function["id"], method="TRACE", timeoutSeconds=0.1, headers={"Host": "x"}
    )

    # then
    assert [(e["field"], e["code"]) for e in taken["errors"]] == [("name", "NAME_TAKEN")]
    assert [(e["field"], e["code"]) for e in platform["errors"]] == [("name", "NAME_TAKEN")]
    assert sorted((e["field"], e["code"]) for e in bad["errors"]) == [
        ("headers", "INVALID_HEADERS"),
        ("method", "INVALID_METHOD"),
        ("timeoutSeconds", "INVALID_TIMEOUT"),
    ]
    row = await CustomFunction.get(id=uuid_of(function["id"]))
    assert (row.name, row.method, row.timeout_seconds, row.headers) == (
        "lookup_order",
        "GET",
        10.0,
        {},
    )


async def test_renaming_to_its_own_name_is_fine(gql):
    # given
    owner, _, function = await _setup(gql)

    # when
    payload = await _update(gql, owner, function["id"], name="lookup_order")

    # then
    assert payload["errors"] == []


async def test_secret_headers_are_replaced_as_a_whole(gql, server):
    # given
    owner, _, function = await _setup(
        gql, secretHeaders={"Authorization": "Bearer old-planted-value", "X-Api-Key": "k-old"}
    )
    keys = parse_encryption_keys(server.settings.encryption_keys.get_secret_value())

    # when
    payload = await _update(
        gql, owner, function["id"], secretHeaders={"X-Api-Key": "k-new-planted-value"}
    )

    # then
    assert payload["errors"] == []
    assert payload["customFunction"]["secretHeaderNames"] == ["X-Api-Key"]
    row = await CustomFunction.get(id=uuid_of(function["id"]))
    assert row.sealed_secret_headers.startswith("v1.")
    assert "k-new-planted-value" not in row.sealed_secret_headers
    assert unseal(row.sealed_secret_headers, context=secret_headers_context(row), keys=keys) == {
        "X-Api-Key": "k-new-planted-value"
    }


async def test_an_update_without_secret_headers_keeps_them(gql, server):
    # given
    owner, _, function = await _setup(gql, secretHeaders={"Authorization": "Bearer keep-me"})
    before = (await CustomFunction.get(id=uuid_of(function["id"]))).sealed_secret_headers

    # when
    payload = await _update(gql, owner, function["id"], description="Still secret.")

    # then
    assert payload["customFunction"]["secretHeaderNames"] == ["Authorization"]
    row = await CustomFunction.get(id=uuid_of(function["id"]))
    assert row.sealed_secret_headers == before


async def test_empty_secret_headers_clear_them(gql):
    # given
    owner, _, function = await _setup(gql, secretHeaders={"Authorization": "Bearer gone"})

    # when
    payload = await _update(gql, owner, function["id"], secretHeaders={})

    # then
    assert payload["errors"] == []
    assert payload["customFunction"]["secretHeaderNames"] == []
    row = await CustomFunction.get(id=uuid_of(function["id"]))
    assert row.sealed_secret_headers is None


async def test_invalid_secret_headers_change_nothing(gql):
    # given
    owner, _, function = await _setup(gql, secretHeaders={"Authorization": "Bearer stays"})
    before = (await CustomFunction.get(id=uuid_of(function["id"]))).sealed_secret_headers

    # when
    payload = await _update(
        gql,
        owner,
        function["id"],
        description="Changed?",
        secretHeaders={"Authorization": "Bearer x\r\nHost: evil"},
    )

    # then
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("secretHeaders", "INVALID_HEADERS")
    ]
    row = await CustomFunction.get(id=uuid_of(function["id"]))
    assert row.sealed_secret_headers == before
    assert row.description == "Look up an order by its number."
