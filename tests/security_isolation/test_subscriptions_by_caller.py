"""Every subscription that takes an id, opened by everyone who might try.

Anonymous: the socket is closed with 4403 at connection_init, before any subscribe.
Organization B's admin and API key: an `error` message with NOT_FOUND, the same payload as
for a random id of the same type. Roles of organization A: the first `next` payload when
docs/permissions.md grants the field's permission, an `error` with FORBIDDEN otherwise.
"""

from __future__ import annotations

import uuid

import pytest

from core import events
from core.services import calls
from graphql_api import ids
from tests.calls_live.helpers import GraphQLSocket, graphql_socket, init_close_code
from tests.security_isolation.cases import SUBSCRIPTIONS, SubscriptionCase
from tests.security_isolation.expectations import (
    ALLOWED,
    UNAUTHENTICATED,
    expected_outcome,
    with_missing_id,
)
from tests.security_isolation.schema_facts import requirement_of
from tests.security_isolation.world import CALLERS, World, new_call, uuid_of

CLOSED_AT_INIT = 4403


async def _stream_call(world: World) -> uuid.UUID:
    """A call of A whose status changes feed the organization stream."""
    if "stream_call" not in world.cache:
        call = await new_call(world.org_a_uuid, uuid_of(world.agent))
        world.cache["stream_call"] = call.id
    return world.cache["stream_call"]


async def _first_message(socket: GraphQLSocket, world: World, case: SubscriptionCase) -> dict:
    if not case.needs_event:
        return await socket.next("target")
    # The stream starts listening at some point after `subscribe`: publish until it hears.
    call_id = await _stream_call(world)
    for _ in range(20):
        await calls.record_event(
            call_id=call_id,
            type=events.CALL_STATUS_CHANGED,
            data={"from": "ringing", "to": "ringing", "source": "isolation-suite"},
            bus=world.bus,
        )
        try:
            return await socket.next("target", timeout=0.25)
        except AssertionError:
            continue
    raise AssertionError("the organization stream delivered nothing")


def _codes(message: dict) -> list[str]:
    assert message["type"] == "error", message
    return [error["extensions"]["code"] for error in message["payload"]]


@pytest.mark.parametrize("caller_name", CALLERS)
@pytest.mark.parametrize("key", sorted(SUBSCRIPTIONS))
async def test_each_subscriber_gets_the_documented_answer(world: World, key: str, caller_name):
    # given
    case = SUBSCRIPTIONS[key]
    caller = world.callers[caller_name]
    expected = expected_outcome(requirement_of(key), caller)
    variables = case.variables(world)
    field = key.split(".")[1]

    if expected == UNAUTHENTICATED:
        # when / then: no token, no socket
        assert await init_close_code(world.ws_url, None) == CLOSED_AT_INIT
        assert await init_close_code(world.ws_url, {}) == CLOSED_AT_INIT
        return

    async with graphql_socket(world.ws_url, caller.token or "") as socket:
        # when
        await socket.subscribe("target", case.operation, variables)

        # then
        if expected == ALLOWED:
            message = await _first_message(socket, world, case)
            assert message["type"] == "next", message
            assert "errors" not in message["payload"], message
            event = message["payload"]["data"][field]
            if case.needs_event:
                assert event["callId"] == ids.encode("Call", await _stream_call(world))
            else:
                assert (event["callId"], event["seq"]) == (world.call, 1)
            return
        refused = await socket.next("target")
        await socket.subscribe(
            "missing", case.operation, with_missing_id(variables, case.target_arg)
        )
        missing = await socket.next("missing")
    assert _codes(refused) == [expected]
    if caller.kind == "stranger":
        assert refused["payload"] == missing["payload"]
