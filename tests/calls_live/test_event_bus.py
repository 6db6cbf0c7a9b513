"""The bus contract, the same tests for the in-process bus and Redis pub/sub.

With Redis the subscriber and the publisher are two RedisBus instances (two
processes sharing Redis); in-process they are the same bus.

"Nothing else arrives" is shown with a sentinel: one more event published by the same
writer on the same channel must be the next one received.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid

from core.call_events import CallStatus, Speaker, StatusChanged, StatusSource, TranscriptSegment
from core.events import TIMED_OUT, InProcessBus, RedisBus, call_channel, organization_channel
from tests.calls_live.helpers import envelope
from tests.support.backends import (
    Buses,
    kill_pubsub,
    make_buses,
    needs_redis,
    redis_numsub,
    redis_url,
)
from tests.support.waiting import DEADLINE, eventually, subscribed, unsubscribed

# For a subscription whose queue can no longer change: `get` answers at once with what it
# holds, or TIMED_OUT after this.
ALREADY_THERE = 0.05


async def test_a_call_channel_gets_that_calls_events_only(buses: Buses):
    # given
    organization_id, call_id = uuid.uuid4(), uuid.uuid4()
    mine = envelope(organization_id=organization_id, call_id=call_id)
    other_call = envelope(organization_id=organization_id)
    sentinel = envelope(organization_id=organization_id, call_id=call_id, seq=2)

    async with buses.server.subscription(call_channel(call_id)) as subscription:
        # when
        await buses.writer.publish(other_call)
        await buses.writer.publish(mine)

        # then
        received = await subscription.get(timeout=DEADLINE)
        await buses.writer.publish(sentinel)
        after = await subscription.get(timeout=DEADLINE)
    assert received == mine
    assert after == sentinel


async def test_an_organization_channel_gets_that_organizations_events_only(buses: Buses):
    # given
    organization_id = uuid.uuid4()
    first = envelope(organization_id=organization_id, payload=_status())
    second = envelope(organization_id=organization_id, payload=_status(CallStatus.COMPLETED))
    elsewhere = envelope(payload=_status())
    sentinel = envelope(organization_id=organization_id, payload=_status())

    async with buses.server.subscription(organization_channel(organization_id)) as subscription:
        # when
        await buses.writer.publish(first)
        await buses.writer.publish(elsewhere)
        await buses.writer.publish(second)

        # then
        received = [await subscription.get(timeout=DEADLINE) for _ in range(2)]
        await buses.writer.publish(sentinel)
        after = await subscription.get(timeout=DEADLINE)
    assert received == [first, second]
    assert after == sentinel


async def test_an_organization_channel_carries_only_what_dashboards_show(buses: Buses):
    # given: a transcript turn, then a status change, of one call
    organization_id, call_id = uuid.uuid4(), uuid.uuid4()
    turn = envelope(organization_id=organization_id, call_id=call_id)
    change = envelope(organization_id=organization_id, call_id=call_id, seq=2, payload=_status())

    async with (
        buses.server.subscription(organization_channel(organization_id)) as dashboard,
        buses.server.subscription(call_channel(call_id)) as call,
    ):
        # when
        await buses.writer.publish(turn)
        await buses.writer.publish(change)

        # then: the call's channel has both; the organization's the status change alone
        assert [await call.get(timeout=DEADLINE) for _ in range(2)] == [turn, change]
        assert await dashboard.get(timeout=DEADLINE) == change
        assert await dashboard.get(timeout=ALREADY_THERE) is TIMED_OUT


def _status(status: CallStatus = CallStatus.IN_PROGRESS) -> StatusChanged:
    return StatusChanged(
        status=status, previous_status=CallStatus.RINGING, source=StatusSource.LIVEKIT
    )


async def test_events_arrive_in_publish_order(buses: Buses):
    # given
    organization_id, call_id = uuid.uuid4(), uuid.uuid4()
    sent = [
        envelope(
            organization_id=organization_id,
            call_id=call_id,
            seq=seq,
            payload=TranscriptSegment(speaker=Speaker.AGENT, text=f"turn {seq}"),
        )
        for seq in range(1, 51)
    ]

    async with buses.server.subscription(call_channel(call_id)) as subscription:
        # when
        for event in sent:
            await buses.writer.publish(event)

        # then
        received = [await subscription.get(timeout=DEADLINE) for _ in sent]
    assert [event.seq for event in received] == list(range(1, 51))  # type: ignore[union-attr]
    assert received == sent


async def test_a_subscription_entered_before_a_publish_never_misses_it(buses: Buses):
    # given: fresh channels, each published to right after the subscription is entered
    missed = 0
    for _ in range(30):
        event = envelope()

        # when
        async with buses.server.subscription(call_channel(event.call_id)) as subscription:
            await buses.writer.publish(event)
            received = await subscription.get(timeout=DEADLINE)

        # then
        if received != event:
            missed += 1
    assert missed == 0


async def test_after_leaving_the_subscription_nothing_is_delivered(buses: Buses):
    # given
    call_id = uuid.uuid4()
    channel = call_channel(call_id)
    async with buses.server.subscription(channel) as left:
        await buses.writer.publish(envelope(call_id=call_id, seq=1))
        assert (await left.get(timeout=DEADLINE)).seq == 1  # type: ignore[union-attr]

    # when
    assert buses.server.subscriber_count(channel) == 0
    await unsubscribed(buses.server, channel)
    async with buses.server.subscription(channel) as later:
        await subscribed(buses.server, channel)
        await buses.writer.publish(envelope(call_id=call_id, seq=2))

        # then: the bus delivered seq 2 to who listens now, and not to the one that left
        assert (await later.get(timeout=DEADLINE)).seq == 2  # type: ignore[union-attr]
    assert await left.get(timeout=ALREADY_THERE) is TIMED_OUT


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
        assert (await staying.get(timeout=DEADLINE)).call_id == call_id  # type: ignore[union-attr]
        if buses.client_name is not None:
            assert await redis_numsub(channel) == 1


async def test_publish_never_raises_when_redis_is_unreachable():
    # given
    bus = RedisBus("redis://127.0.0.1:1/0")

    try:
        # when
        await asyncio.wait_for(bus.publish(envelope()), timeout=DEADLINE)

        # then: it returned, and a subscriber on the dead bus simply gets nothing (it can
        # never connect, so not even the catch-up marker)
        async with bus.subscription(call_channel(uuid.uuid4())) as subscription:
            assert await subscription.get(timeout=ALREADY_THERE) is TIMED_OUT
    finally:
        await bus.close()


@needs_redis
async def test_after_the_connection_is_killed_the_subscriber_is_told_to_catch_up():
    # given
    buses = make_buses("redis")
    assert buses.client_name is not None
    call_id = uuid.uuid4()
    channel = call_channel(call_id)
    try:
        async with buses.server.subscription(channel) as subscription:
            await buses.writer.publish(envelope(call_id=call_id, seq=1))
            assert (await subscription.get(timeout=DEADLINE)).seq == 1  # type: ignore[union-attr]

            # when
            assert await kill_pubsub(buses.client_name) == 1

            # then: the catch-up marker, then live events again
            assert await subscription.get(timeout=DEADLINE) is None
            await subscribed(buses.server, channel)
            await buses.writer.publish(envelope(call_id=call_id, seq=3))
            assert (await subscription.get(timeout=DEADLINE)).seq == 3  # type: ignore[union-attr]
    finally:
        await buses.close()


@needs_redis
async def test_a_subscriber_on_one_replica_gets_what_another_replica_publishes():
    # given
    replica_a, replica_b = RedisBus(redis_url()), RedisBus(redis_url())
    organization_id = uuid.uuid4()
    event = envelope(organization_id=organization_id, payload=_status())
    try:
        async with replica_a.subscription(organization_channel(organization_id)) as on_a:
            async with replica_b.subscription(organization_channel(organization_id)) as on_b:
                # when
                await replica_b.publish(event)

                # then
                assert await on_a.get(timeout=DEADLINE) == event
                assert await on_b.get(timeout=DEADLINE) == event
    finally:
        await replica_a.close()
        await replica_b.close()


@needs_redis
async def test_a_subscription_cancelled_while_it_is_entered_leaves_nothing_behind():
    # given: a Redis bus, and subscribers cancelled at every step of entering (a client that
    # completes its operation at once: the server cancels the operation's task)
    bus = RedisBus(redis_url())
    channel = call_channel(uuid.uuid4())

    async def enter() -> None:
        async with bus.subscription(channel):
            await asyncio.Event().wait()

    try:
        for steps in range(40):
            task = asyncio.create_task(enter())
            for _ in range(steps):
                await asyncio.sleep(0)
            task.cancel()
            # (a cancellation the bus swallowed would leave the task waiting forever)
            async with asyncio.timeout(DEADLINE):
                with contextlib.suppress(asyncio.CancelledError):
                    await task

        # when the last subscriber there is enters and leaves
        async with bus.subscription(channel):
            await subscribed(bus, channel)

        # then no cancelled subscriber is still registered: the channel is given up at Redis
        await eventually(lambda: _numsub_is(channel, 0), what=f"nobody on {channel} at Redis")
        assert bus.subscriber_count(channel) == 0
    finally:
        await bus.close()


async def _numsub_is(channel: str, count: int) -> bool:
    return await redis_numsub(channel) == count


async def test_a_subscriber_cancelled_just_as_an_event_arrives_stays_cancelled():
    # given: subscribers waiting for their next event, cancelled at every step around the
    # moment one arrives (a client completing its operation as the server delivers)
    bus = InProcessBus()
    event = envelope()
    for steps in range(6):
        async with bus.subscription(call_channel(event.call_id)) as subscription:
            waiting = asyncio.create_task(subscription.get(timeout=DEADLINE))
            await asyncio.sleep(0)

            # when
            await bus.publish(event)
            for _ in range(steps):
                await asyncio.sleep(0)
            requested = waiting.cancel()

            # then a subscriber still waiting when cancelled ends cancelled: it never goes on
            # with the event (one that had already taken it is simply done)
            with contextlib.suppress(asyncio.CancelledError):
                await waiting
            if requested:
                assert waiting.cancelled(), f"the cancellation was lost after {steps} steps"
