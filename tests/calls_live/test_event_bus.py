"""The bus contract, the same tests for the in-process bus and Redis pub/sub.

With Redis the subscriber and the publisher are two RedisBus instances (two
processes sharing Redis); in-process they are the same bus.
"""

from __future__ import annotations

import asyncio
import uuid

from core.events import TIMED_OUT, RedisBus, call_channel, organization_channel
from tests.calls_live.helpers import (
    QUIET,
    WAIT,
    Buses,
    envelope,
    kill_pubsub,
    needs_redis,
    numsub,
    redis_url,
)


async def test_a_call_channel_gets_that_calls_events_only(buses: Buses):
    # given
    organization_id, call_id = uuid.uuid4(), uuid.uuid4()
    mine = envelope(organization_id=organization_id, call_id=call_id)
    other_call = envelope(organization_id=organization_id)

    async with buses.server.subscription(call_channel(call_id)) as subscription:
        # when
        await buses.writer.publish(other_call)
        await buses.writer.publish(mine)

        # then
        received = await subscription.get(timeout=WAIT)
        assert received == mine
        assert await subscription.get(timeout=QUIET) is TIMED_OUT


async def test_an_organization_channel_gets_that_organizations_events_only(buses: Buses):
    # given
    organization_id = uuid.uuid4()
    first = envelope(organization_id=organization_id)
    second = envelope(organization_id=organization_id, type="call.status_changed")
    elsewhere = envelope()

    async with buses.server.subscription(organization_channel(organization_id)) as subscription:
        # when
        await buses.writer.publish(first)
        await buses.writer.publish(elsewhere)
        await buses.writer.publish(second)

        # then
        assert await subscription.get(timeout=WAIT) == first
        assert await subscription.get(timeout=WAIT) == second
        assert await subscription.get(timeout=QUIET) is TIMED_OUT


async def test_events_arrive_in_publish_order(buses: Buses):
    # given
    organization_id, call_id = uuid.uuid4(), uuid.uuid4()
    sent = [
        envelope(organization_id=organization_id, call_id=call_id, seq=seq, data={"n": seq})
        for seq in range(1, 51)
    ]

    async with buses.server.subscription(call_channel(call_id)) as subscription:
        # when
        for event in sent:
            await buses.writer.publish(event)

        # then
        received = [await subscription.get(timeout=WAIT) for _ in sent]
    assert [event.seq for event in received] == list(range(1, 51))
    assert received == sent


async def test_a_subscription_entered_before_a_publish_never_misses_it(buses: Buses):
    # given: fresh channels, each published to right after the subscription is entered
    missed = 0
    for _ in range(30):
        event = envelope()

        # when
        async with buses.server.subscription(call_channel(event.call_id)) as subscription:
            await buses.writer.publish(event)
            received = await subscription.get(timeout=WAIT)

        # then
        if received != event:
            missed += 1
    assert missed == 0


async def test_after_leaving_the_subscription_nothing_is_delivered(buses: Buses):
    # given
    call_id = uuid.uuid4()
    channel = call_channel(call_id)
    async with buses.server.subscription(channel) as subscription:
        await buses.writer.publish(envelope(call_id=call_id, seq=1))
        assert (await subscription.get(timeout=WAIT)).seq == 1  # type: ignore[union-attr]

    # when
    await buses.writer.publish(envelope(call_id=call_id, seq=2))

    # then
    assert await subscription.get(timeout=QUIET) is TIMED_OUT
    assert buses.server.subscriber_count(channel) == 0  # type: ignore[attr-defined]
    if buses.client_name is not None:  # Redis: the channel is unsubscribed on the server
        assert await numsub(channel) == 0


async def test_a_second_subscriber_keeps_the_channel_when_the_first_leaves(buses: Buses):
    # given
    call_id = uuid.uuid4()
    channel = call_channel(call_id)
    async with buses.server.subscription(channel) as staying:
        async with buses.server.subscription(channel):
            pass

        # when
        await buses.writer.publish(envelope(call_id=call_id))

        # then
        assert (await staying.get(timeout=WAIT)).call_id == call_id  # type: ignore[union-attr]
        if buses.client_name is not None:
            assert await numsub(channel) == 1


async def test_publish_never_raises_when_redis_is_unreachable():
    # given
    bus = RedisBus("redis://127.0.0.1:1/0")

    try:
        # when
        await asyncio.wait_for(bus.publish(envelope()), timeout=10)

        # then: it returned, and a subscriber on the dead bus simply gets nothing
        async with bus.subscription(call_channel(uuid.uuid4())) as subscription:
            assert await subscription.get(timeout=0.2) is TIMED_OUT
    finally:
        await bus.close()


@needs_redis
async def test_after_the_connection_is_killed_the_subscriber_is_told_to_catch_up():
    # given
    name = f"calls-live-{uuid.uuid4().hex[:10]}"
    subscriber_bus, publisher_bus = RedisBus(redis_url(name)), RedisBus(redis_url())
    call_id = uuid.uuid4()
    try:
        async with subscriber_bus.subscription(call_channel(call_id)) as subscription:
            await publisher_bus.publish(envelope(call_id=call_id, seq=1))
            assert (await subscription.get(timeout=WAIT)).seq == 1  # type: ignore[union-attr]

            # when
            assert await kill_pubsub(name) == 1

            # then: the catch-up marker, then live events again
            assert await subscription.get(timeout=WAIT) is None
            await publisher_bus.publish(envelope(call_id=call_id, seq=3))
            assert (await subscription.get(timeout=WAIT)).seq == 3  # type: ignore[union-attr]
    finally:
        await subscriber_bus.close()
        await publisher_bus.close()


@needs_redis
async def test_a_subscriber_on_one_replica_gets_what_another_replica_publishes():
    # given
    replica_a, replica_b = RedisBus(redis_url()), RedisBus(redis_url())
    organization_id = uuid.uuid4()
    event = envelope(organization_id=organization_id)
    try:
        async with replica_a.subscription(organization_channel(organization_id)) as on_a:
            async with replica_b.subscription(organization_channel(organization_id)) as on_b:
                # when
                await replica_b.publish(event)

                # then
                assert await on_a.get(timeout=WAIT) == event
                assert await on_b.get(timeout=WAIT) == event
    finally:
        await replica_a.close()
        await replica_b.close()
