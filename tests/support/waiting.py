"""Waiting on conditions, never on guessed sleeps.

Every wait has a generous deadline (a busy machine is slow, not wrong) and ends as soon
as the condition holds, so a quiet machine pays nothing for the margin.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable

from core.events import EventBus

# How long anything that must happen may take on a loaded CI machine.
DEADLINE = 20.0
_POLL = 0.02


async def eventually(
    check: Callable[[], Awaitable[bool] | bool],
    *,
    timeout: float = DEADLINE,
    what: str | None = None,
) -> float:
    """Wait until `check()` is true; returns the seconds it took, fails after `timeout`."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    while True:
        outcome = check()
        if inspect.isawaitable(outcome):
            outcome = await outcome
        if outcome:
            return loop.time() - started
        if loop.time() - started > timeout:
            raise AssertionError(f"not true within {timeout}s: {what or check}")
        await asyncio.sleep(_POLL)


async def subscribed(bus: EventBus, channel: str, count: int = 1) -> None:
    """Wait until `count` subscriptions listen on `channel` on this bus, so that an event
    published from now on reaches them (on Redis: once Redis confirmed the SUBSCRIBE)."""
    await eventually(
        lambda: bus.subscriber_count(channel) >= count, what=f"{count} subscriber(s) on {channel}"
    )


async def unsubscribed(bus: EventBus, channel: str) -> None:
    """Wait until no subscription of this bus listens on `channel` any more."""
    await eventually(lambda: bus.subscriber_count(channel) == 0, what=f"nobody on {channel}")
