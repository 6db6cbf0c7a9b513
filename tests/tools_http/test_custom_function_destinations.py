"""A custom function whose fixed host is private, loopback, link-local or a metadata service
is refused when it is defined, not only when a call tries it (test_http_function_ssrf.py).

The template's literal host is resolved with the SSRF guard's own resolver and judged with
the guard's address checks; names that always mean this machine or a metadata service are
refused whatever DNS answers here. HTTP_TOOL_ALLOWED_NETWORKS lets listed networks or host
names through, as it does at call time.
"""

from __future__ import annotations

import ipaddress

import pytest

from core.tools import http_guard
from orm.models import CustomFunction
from tests.support.ids import global_id
from tests.support.operations import CUSTOM_FUNCTION_CREATE, CUSTOM_FUNCTION_UPDATE
from tests.support.servers import asgi_client
from tests.tools_http.helpers import function_input

INTERNAL_TEMPLATES = [
    "http://127.0.0.1/orders/{order_id}",
    "http://127.0.0.1:8080/orders/{order_id}",
    "http://127.1/orders/{order_id}",
    "http://2130706433/orders/{order_id}",
    "http://0x7f000001/orders/{order_id}",
    "http://0.0.0.0/orders/{order_id}",
    "http://localhost/orders/{order_id}",
    "http://LocalHost.:8080/orders/{order_id}",
    "http://api.localhost/orders/{order_id}",
    "http://[::1]/orders/{order_id}",
    "http://[::ffff:127.0.0.1]/orders/{order_id}",
    "http://169.254.169.254/latest/meta-data/{order_id}",
    "http://[::ffff:169.254.169.254]/latest/meta-data/{order_id}",
    "http://[fd00:ec2::254]/latest/meta-data/{order_id}",
    "http://metadata.google.internal/computeMetadata/v1/instance/{order_id}",
    "http://metadata/computeMetadata/v1/instance/{order_id}",
    "http://10.1.2.3/orders/{order_id}",
    "http://172.16.0.1/orders/{order_id}",
    "http://192.168.1.1/orders/{order_id}",
    "http://100.64.0.1/orders/{order_id}",
    "http://[fe80::1]/orders/{order_id}",
]

PLACEHOLDER_IN_ORIGIN = [
    "{order_id}://api.example.com/orders",
    "http{order_id}://api.example.com/orders",
    "https://{order_id}/orders",
    "https://api.{order_id}.example.com/orders",
    "https://api.example.com{order_id}",
    "https://api.example.com:{order_id}/orders",
    "https://{order_id}@api.example.com/orders",
]


@pytest.fixture
def corp_name_resolves_privately(monkeypatch):  # type: ignore[no-untyped-def]
    """The guard's resolver answers a private address for one name, as a split-horizon DNS
    would; every other name resolves as usual."""
    resolve = http_guard.resolve_host

    async def resolve_host(host: str, port: int):  # type: ignore[no-untyped-def]
        if host == "orders.corp.example":
            return [ipaddress.ip_address("10.0.0.7")]
        return await resolve(host, port)

    monkeypatch.setattr(http_guard, "resolve_host", resolve_host)


def codes(payload):  # type: ignore[no-untyped-def]
    return [(e["field"], e["code"]) for e in payload["errors"]]


@pytest.mark.parametrize("template", INTERNAL_TEMPLATES)
async def test_an_internal_host_is_refused_at_definition(gql, make, template):
    # given
    tenant = await make.tenant("Internal Co")

    # when
    payload = await gql.payload(
        CUSTOM_FUNCTION_CREATE,
        function_input(tenant.organization_id, urlTemplate=template),
        token=tenant.token,
    )

    # then
    assert payload["customFunction"] is None
    assert codes(payload) == [("urlTemplate", "INVALID_URL")]
    assert "cannot be reached" in payload["errors"][0]["message"]
    assert await CustomFunction.filter(organization_id=tenant.organization_uuid).count() == 0


async def test_a_name_that_resolves_to_a_private_address_is_refused_at_definition(
    gql, make, corp_name_resolves_privately
):
    # given
    tenant = await make.tenant("Split Horizon Co")

    # when
    payload = await gql.payload(
        CUSTOM_FUNCTION_CREATE,
        function_input(
            tenant.organization_id, urlTemplate="https://orders.corp.example/orders/{order_id}"
        ),
        token=tenant.token,
    )

    # then
    assert payload["customFunction"] is None
    assert codes(payload) == [("urlTemplate", "INVALID_URL")]
    assert await CustomFunction.filter(organization_id=tenant.organization_uuid).count() == 0


@pytest.mark.parametrize("template", PLACEHOLDER_IN_ORIGIN)
async def test_a_placeholder_in_the_scheme_or_host_is_refused(gql, make, template):
    # given
    tenant = await make.tenant("Origin Co")

    # when
    payload = await gql.payload(
        CUSTOM_FUNCTION_CREATE,
        function_input(tenant.organization_id, urlTemplate=template),
        token=tenant.token,
    )

    # then
    assert payload["customFunction"] is None
    assert codes(payload) == [("urlTemplate", "INVALID_URL")]
    assert await CustomFunction.filter(organization_id=tenant.organization_uuid).count() == 0


async def test_an_update_to_an_internal_host_is_refused(gql, make):
    # given
    tenant = await make.tenant("Update Internal Co")
    function = await make.custom_function(tenant, name="lookup_order")

    # when
    payload = await gql.payload(
        CUSTOM_FUNCTION_UPDATE,
        {
            "input": {
                "id": global_id("CustomFunction", function.id),
                "urlTemplate": "http://169.254.169.254/latest/meta-data/{order_id}",
            }
        },
        token=tenant.token,
    )

    # then
    assert codes(payload) == [("urlTemplate", "INVALID_URL")]
    row = await CustomFunction.get(id=function.id)
    assert row.url_template == "https://api.example.com/orders/{order_id}"


async def test_the_allow_list_admits_its_networks_and_names_at_definition(
    server, make, corp_name_resolves_privately
):
    # given: an installation that lets calls reach one on-premise network and one host name
    settings = server.settings.model_copy(
        update={"http_tool_allowed_networks": ["10.0.0.0/8", "localhost"]}
    )
    tenant = await make.tenant("On Premise Co")

    async with asgi_client(settings) as api:
        # when
        results = {
            template: await api.gql.payload(
                CUSTOM_FUNCTION_CREATE,
                function_input(tenant.organization_id, name=f"fn_{number}", urlTemplate=template),
                token=tenant.token,
            )
            for number, template in enumerate(
                [
                    "http://10.1.2.3/orders/{order_id}",
                    "https://orders.corp.example/orders/{order_id}",
                    "http://localhost:8080/orders/{order_id}",
                    "http://192.168.1.1/orders/{order_id}",
                    "http://169.254.169.254/latest/meta-data/{order_id}",
                ]
            )
        }

    # then: the listed network and name pass; the rest stays refused
    assert {template: codes(payload) for template, payload in results.items()} == {
        "http://10.1.2.3/orders/{order_id}": [],
        "https://orders.corp.example/orders/{order_id}": [],
        "http://localhost:8080/orders/{order_id}": [],
        "http://192.168.1.1/orders/{order_id}": [("urlTemplate", "INVALID_URL")],
        "http://169.254.169.254/latest/meta-data/{order_id}": [("urlTemplate", "INVALID_URL")],
    }
