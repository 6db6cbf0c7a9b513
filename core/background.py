"""Loops that run beside the API or the worker until their task is cancelled.

Such a loop logs a failing pass and goes on, so that one bad pass does not stop the mail,
the janitor or the webhook dispatcher. That makes it easy for a loop to outlive its own
shutdown: a cancellation that reaches a pass as something other than `CancelledError`, or
not at all, leaves it running. Python 3.11's `asyncio.wait_for` returns the result and drops
the cancellation when the awaited operation finishes in the same loop turn as the cancel
(gh-86296, fixed in 3.12), and libraries wrap errors. The task still counts the request
(`Task.cancelling()`), so the loops below ask it after every pass instead of trusting that
the `CancelledError` arrives.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


def raise_if_cancelling() -> None:
    """Raise `CancelledError` when someone asked the current task to stop, even if the
    cancellation was lost on its way through the code the task ran."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


async def every(
    interval_seconds: float, run_pass: Callable[[], Awaitable[object]], *, what: str
) -> None:
    """Run `run_pass` every `interval_seconds` (after the first wait) until the task is
    cancelled; a failing pass is logged as `<what> pass failed` and the next one goes on."""
    while True:
        await asyncio.sleep(interval_seconds)
        try:
            await run_pass()
        except Exception:
            raise_if_cancelling()
            log.exception("%s pass failed", what)
        raise_if_cancelling()
