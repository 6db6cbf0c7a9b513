"""Custom functions cannot reach loopback, private, link-local or metadata addresses.

With the default settings (no allow-list) every such destination is refused
before a connection is made, so the fake target on 127.0.0.1 records nothing.
With 127.0.0.1/32 allowed, a redirect from the target to another internal
address is refused on the redirect hop. The functions are defined under an
allow-list admitting everything (the definition-time refusal has its own tests,
test_custom_function_destinations.py): what is proved here is the guard at call time,
which holds when the allow-list shrank since, or DNS answers differently now.
"""

from __future__ import annotations

import ipaddress

import pytest

from core.tools import http_guard
from tests.tools_http.helpers import agent_with_function, allowing_loopback, call_function

REFUSED = "cannot be reached from calls"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:{port}/orders/{{order_id}}",
        "http://localhost:{port}/orders/{{order_id}}",
        "http://[::1]:{port}/orders/{{order_id}}",
        "http://0.0.0.0:{port}/orders/{{order_id}}",
        "http://[::ffff:127.0.0.1]:{port}/orders/{{order_id}}",
        "http://2130706433:{port}/orders/{{order_id}}",
        "http://127.1:{port}/orders/{{order_id}}",
        "http://169.254.169.254/latest/meta-data/{{order_id}}",
        "http://10.1.2.3/orders/{{order_id}}",
        "http://192.168.1.1/orders/{{order_id}}",
        "http://100.64.0.1/orders/{{order_id}}",
    ],
)
async def test_internal_destinations_are_refused_by_default(make, server, target, url):
    # given
    _, agent, _ = await agent_with_function(make, url_template=url.format(port=target.port))

    # when
    outcome = await call_function(agent, server.settings, "lookup_order", {"order_id": "1"})

    # then
    assert outcome.is_error is True
    assert REFUSED in outcome.output
    assert target.requests == []


async def test_the_allow_list_lets_only_its_network_through(make, server, target):
    # given
    _, agent, _ = await agent_with_function(make, url_template=target.url("/orders/{order_id}"))
    other_loopback = server.settings.model_copy(
        update={"http_tool_allowed_networks": ["127.0.0.2/32"]}
    )

    # when
    refused = await call_function(agent, other_loopback, "lookup_order", {"order_id": "1"})
    allowed = await call_function(
        agent, allowing_loopback(server.settings), "lookup_order", {"order_id": "1"}
    )

    # then
    assert refused.is_error and REFUSED in refused.output
    assert (allowed.is_error, allowed.output) == (False, '{"ok":true}')
    assert [r.path for r in target.requests] == ["/orders/1"]


@pytest.mark.parametrize(
    "location",
    [
        "http://127.0.0.2:{port}/x",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]:{port}/orders/landing",
    ],
)
async def test_a_redirect_to_an_internal_address_is_refused(make, server, target, location):
    # given: the first hop is allowed (127.0.0.1/32), the redirect is not
    target.redirect("/orders/hop", location.format(port=target.port))
    _, agent, _ = await agent_with_function(
        make,
        url_template=target.url("/orders/{order_id}"),
        secret_headers={"Authorization": "Bearer do-not-forward"},
    )

    # when
    outcome = await call_function(
        agent, allowing_loopback(server.settings), "lookup_order", {"order_id": "hop"}
    )

    # then
    assert outcome.is_error is True
    assert REFUSED in outcome.output
    assert [r.path for r in target.requests] == ["/orders/hop"]


async def test_a_redirect_within_the_allowed_network_is_followed(make, server, target):
    # given
    target.redirect("/orders/hop", target.url("/orders/landing"))
    target.reply("/orders/landing", json={"landed": True})
    _, agent, _ = await agent_with_function(make, url_template=target.url("/orders/{order_id}"))

    # when
    outcome = await call_function(
        agent, allowing_loopback(server.settings), "lookup_order", {"order_id": "hop"}
    )

    # then
    assert (outcome.is_error, outcome.output) == (False, '{"landed":true}')
    assert [r.path for r in target.requests] == ["/orders/hop", "/orders/landing"]


async def test_a_redirect_loop_stops(make, server, target):
    # given
    target.redirect("/orders/loop", target.url("/orders/loop"))
    _, agent, _ = await agent_with_function(make, url_template=target.url("/orders/{order_id}"))

    # when
    outcome = await call_function(
        agent, allowing_loopback(server.settings), "lookup_order", {"order_id": "loop"}
    )

    # then
    assert outcome.is_error is True
    assert "could not be reached" in outcome.output
    assert len(target.requests_to("/orders/loop")) == 4  # the first try and 3 redirects


async def test_a_name_that_resolved_publicly_at_definition_is_refused_when_it_turns_private(
    make, server, target, monkeypatch
):
    # given: a host name that resolves to a public address when the function is defined,
    # under the default settings, and to the loopback target when it is called (rebinding)
    answers = {"orders.partner.example": ipaddress.ip_address("93.184.216.34")}
    resolve = http_guard.resolve_host

    async def resolve_host(host: str, port: int):  # type: ignore[no-untyped-def]
        if host in answers:
            return [answers[host]]
        return await resolve(host, port)

    monkeypatch.setattr(http_guard, "resolve_host", resolve_host)
    _, agent, _ = await agent_with_function(
        make,
        defined_under=server.settings,
        url_template=f"http://orders.partner.example:{target.port}/orders/{{order_id}}",
    )
    answers["orders.partner.example"] = ipaddress.ip_address("127.0.0.1")

    # when
    outcome = await call_function(agent, server.settings, "lookup_order", {"order_id": "1"})

    # then
    assert outcome.is_error is True
    assert REFUSED in outcome.output
    assert target.requests == []
