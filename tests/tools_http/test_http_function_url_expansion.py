"""Worker side: the URL is built from the stored template by substituting bare parameter
names, percent-encoded, never with `str.format`, and the built URL is at most 2,000
characters.

A row written before the definition rules existed (or by hand) can hold any template: the
call re-parses it and refuses one that is more than bare names, before anything is
formatted or sent.
"""

from __future__ import annotations

import tracemalloc

import pytest

from orm.models import CustomFunction
from tests.tools_http.helpers import agent_with_function, allowing_loopback, call_function

MAX_URL_LENGTH = 2000
ALLOCATION_BOUND_BYTES = 8 * 1024 * 1024
NOT_BUILT = "The function's address could not be built."


@pytest.mark.parametrize(
    "placeholder",
    [
        "{order_id:>300000000}",
        "{order_id!r}",
        "{order_id.__class__}",
        "{order_id.__class__.__mro__}",
        "{order_id[0]}",
        "{customer}",  # not a declared parameter
        "{order_id",
    ],
)
async def test_a_stored_template_with_more_than_bare_names_is_refused_at_call(
    make, server, target, placeholder
):
    # given: a row whose template slipped past the definition rules
    _, agent, function = await agent_with_function(
        make, url_template=target.url("/orders/{order_id}")
    )
    await CustomFunction.filter(id=function.id).update(
        url_template=target.url("/orders/") + placeholder
    )
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        baseline, _ = tracemalloc.get_traced_memory()

        # when
        outcome = await call_function(
            agent, allowing_loopback(server.settings), "lookup_order", {"order_id": "A1"}
        )

        # then
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak - baseline < ALLOCATION_BOUND_BYTES
    assert (outcome.is_error, outcome.output) == (True, NOT_BUILT)
    assert target.requests == []


async def test_an_argument_that_makes_the_url_too_long_is_refused(make, server, target):
    # given
    _, agent, _ = await agent_with_function(make, url_template=target.url("/orders/{order_id}"))
    fits = MAX_URL_LENGTH - len(target.url("/orders/"))

    # when
    too_long = await call_function(
        agent, allowing_loopback(server.settings), "lookup_order", {"order_id": "x" * (fits + 1)}
    )
    at_the_limit = await call_function(
        agent, allowing_loopback(server.settings), "lookup_order", {"order_id": "x" * fits}
    )

    # then
    assert too_long.is_error is True
    assert "too long" in too_long.output
    assert [len(target.url(r.raw_path)) for r in target.requests] == [MAX_URL_LENGTH]
    assert at_the_limit.is_error is False


async def test_percent_encoding_counts_toward_the_limit(make, server, target):
    # given: each space becomes %20, three characters
    _, agent, _ = await agent_with_function(make, url_template=target.url("/orders/{order_id}"))
    room = MAX_URL_LENGTH - len(target.url("/orders/"))

    # when
    outcome = await call_function(
        agent,
        allowing_loopback(server.settings),
        "lookup_order",
        {"order_id": " " * (room // 3 + 1)},
    )

    # then
    assert outcome.is_error is True
    assert "too long" in outcome.output
    assert target.requests == []


async def test_query_arguments_count_toward_the_limit(make, server, target):
    # given: a GET puts the arguments that are not placeholders in the query string
    parameters = {
        "type": "object",
        "properties": {"order_id": {"type": "string"}, "note": {"type": "string"}},
    }
    _, agent, _ = await agent_with_function(
        make, parameters=parameters, url_template=target.url("/orders/{order_id}")
    )

    # when
    outcome = await call_function(
        agent,
        allowing_loopback(server.settings),
        "lookup_order",
        {"order_id": "1", "note": "n" * MAX_URL_LENGTH},
    )

    # then
    assert outcome.is_error is True
    assert "too long" in outcome.output
    assert target.requests == []


async def test_braces_in_a_value_are_sent_encoded_and_never_interpreted(make, server, target):
    # given
    _, agent, _ = await agent_with_function(make, url_template=target.url("/orders/{order_id}"))

    # when
    outcome = await call_function(
        agent,
        allowing_loopback(server.settings),
        "lookup_order",
        {"order_id": "{order_id.__class__}{0}"},
    )

    # then
    assert outcome.is_error is False
    [request] = target.requests
    assert request.raw_path == "/orders/%7Border_id.__class__%7D%7B0%7D"
