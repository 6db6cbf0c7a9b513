"""Every subscription that takes an id, opened by everyone who might try.

Anonymous: the socket is closed with 4403 at connection_init, before any subscribe.
Organization B's admin and API key: an `error` message with NOT_FOUND, the same payload as
for a random id of the same type. Roles of organization A: the first `next` payload when
docs/permissions.md grants the field's permission, an `error` with FORBIDDEN otherwise (and
the refused subscriber never listens on the bus).
"""

from __future__ import annotations

import uuid

import pytest

from core.call_events import CallStatus, StatusChanged, StatusSource
from core.events import call_channel, organization_channel
from core.services import calls
from tests.security_isolation.cases import SUBSCRIPTIONS
from tests.security_isolation.expectations import (
    ALLOWED,
    UNAUTHENTICATED,
    expected_outcome,
    with_missing_id,
)
from tests.security_isolation.schema_facts import requirement_of
from tests.security_isolation.world import CALLERS, World
from tests.support.ids import global_id, uuid_of
from tests.support.waiting import eventually, subscribed
from tests.support.websocket import graphql_socket, init_close_code

CLOSED_AT_INIT = 4403


def _channels(world: World) -> list[str]:
    """Where the two streams of organization A listen."""
    return [organization_channel(world.org_a_uuid), call_channel(uuid_of(world.call))]


async def _stream_call(world: World) -> uuid.UUID:
    """A call of A whose status changes feed the organization stream."""
    if "stream_call" not in world.cache:
        world.cache["stream_call"] = (await world.make.call(world.tenant_a)).id
    return world.cache["stream_call"]


def _codes(message: dict) -> list[str]:
    assert message["type"] == "error", message
    return [error["extensions"]["code"] for error in message["payload"]]


@pytest.mark.parametrize("caller_name", CALLERS)
@pytest.mark.parametrize("key", sorted(SUBSCRIPTIONS))
async def test_each_subscriber_gets_the_documented_answer(world: World, key: str, caller_name):
    # given: no stream of an earlier test still listening on A's channels
    case = SUBSCRIPTIONS[key]
    caller = world.callers[caller_name]
    expected = expected_outcome(requirement_of(key), caller)
    variables = case.variables(world)
    field = key.split(".")[1]
    for channel in _channels(world):
        await eventually(lambda c=channel: world.bus.subscriber_count(c) == 0, what=channel)

    if expected == UNAUTHENTICATED:
        # when / then: no token, no socket
        assert await init_close_code(world.ws_url, None) == CLOSED_AT_INIT
        assert await init_close_code(world.ws_url, {}) == CLOSED_AT_INIT
        return

    async with graphql_socket(world.ws_url, caller.token) as socket:
        # when
        await socket.subscribe("target", case.operation, variables)

        # then
        if expected == ALLOWED:
            if case.needs_event:
                # The organization stream has no catch-up: once it listens, a status change.
                await subscribed(world.bus, organization_channel(world.org_a_uuid))
                await calls.record_event(
                    call_id=await _stream_call(world),
                    payload=StatusChanged(
                        status=CallStatus.RINGING,
                        previous_status=CallStatus.RINGING,
                        source=StatusSource.PLATFORM,
                    ),
                    bus=world.bus,
                )
            message = await socket.next("target")
            assert message["type"] == "next", message
            assert "errors" not in message["payload"], message
            event = message["payload"]["data"][field]
            if case.needs_event:
                assert event["call"]["id"] == global_id("Call", await _stream_call(world))
            else:
                assert (event["call"]["id"], event["seq"]) == (world.call, 1)
            return
        refused = await socket.next("target")
        await socket.subscribe(
            "missing", case.operation, with_missing_id(variables, case.target_arg)
        )
        missing = await socket.next("missing")
        listening = [world.bus.subscriber_count(channel) for channel in _channels(world)]
    assert _codes(refused) == [expected]
    assert listening == [0, 0]
    if caller.kind == "stranger":
        assert refused["payload"] == missing["payload"]
