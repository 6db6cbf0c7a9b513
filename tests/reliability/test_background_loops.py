"""Every loop that runs beside the API stops when its task is cancelled, even when the
cancellation never reaches it as a `CancelledError`.

Python 3.11's `asyncio.wait_for` returns the awaited result and drops the cancellation when
both happen in the same loop turn (gh-86296), which is what a janitor pass deleting a room
met in CI: the pass returned normally, the loop slept and went on, and it kept querying in
the tests that ran after it. The passes below lose their cancellation the same two ways: by
returning normally, and by turning it into another exception.
"""

from __future__ import annotations

import asyncio

import pytest

from core import background
from core.email import sender
from core.partner_webhooks.dispatcher import Dispatcher
from core.services import calls
from graphql_api import app as app_module
from tests.call_analysis.helpers import analysis_settings, runner_for
from tests.fakes.gemini import FakeGemini
from tests.support.waiting import DEADLINE, eventually


class SwallowingPass:
    """A pass that waits (so a cancellation lands inside it) and loses the first
    cancellation it meets; later ones pass through, so a loop left behind by a failing test
    can still be stopped."""

    def __init__(self, *, converts: bool) -> None:
        self.converts = converts
        self.runs = 0
        self.swallowed = False
        self.inside = asyncio.Event()

    async def __call__(self, *args: object, **kwargs: object) -> int:
        self.runs += 1
        try:
            self.inside.set()
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            if self.swallowed:
                raise
            self.swallowed = True
            if self.converts:
                raise RuntimeError("the driver's own error") from None
        return 0


async def _cancel_inside(task: asyncio.Task[None], passes: list[SwallowingPass]) -> None:
    await eventually(lambda: all(p.inside.is_set() for p in passes), what="passes running")
    task.cancel()
    # Then it ends, and no pass runs again.
    await asyncio.wait({task}, timeout=DEADLINE)
    if not task.done():
        await _stop_for_good(task)
        pytest.fail("the loop outlived its cancellation")
    runs = [p.runs for p in passes]
    await asyncio.sleep(0.05)
    assert [p.runs for p in passes] == runs


async def _stop_for_good(task: asyncio.Task[None]) -> None:
    """Cancel until it ends, so that a failing test leaves no loop behind for the next."""
    while not task.done():
        task.cancel()
        await asyncio.wait({task}, timeout=0.01)


@pytest.mark.parametrize("converts", [False, True], ids=["returns", "raises"])
async def test_a_repeated_pass_that_loses_the_cancellation_still_ends_the_loop(converts):
    # given a loop on a 1 ms interval whose pass loses the cancellation
    swallowing = SwallowingPass(converts=converts)
    loop = asyncio.create_task(background.every(0.001, swallowing, what="test"))

    # when the loop is cancelled inside a pass, then it ends
    await _cancel_inside(loop, [swallowing])
    assert loop.cancelled()


@pytest.mark.parametrize("converts", [False, True], ids=["returns", "raises"])
async def test_the_call_janitor_stops_both_of_its_checks(monkeypatch, settings, converts):
    # given the janitor's two checks on short clocks, each losing the cancellation
    abandoned, unclaimed = SwallowingPass(converts=converts), SwallowingPass(converts=converts)
    monkeypatch.setattr(app_module, "JANITOR_INTERVAL_SECONDS", 0.001)
    monkeypatch.setattr(calls, "fail_abandoned", abandoned)
    monkeypatch.setattr(calls, "fail_unclaimed_outbound", unclaimed)
    fast = settings.model_copy(update={"outbound_no_worker_check_seconds": 0.001})
    janitor = asyncio.create_task(app_module._janitor(None, None, fast))  # type: ignore[arg-type]

    # when the janitor is cancelled while both run, then neither check goes on
    await _cancel_inside(janitor, [abandoned, unclaimed])


@pytest.mark.parametrize("converts", [False, True], ids=["returns", "raises"])
async def test_the_mail_sender_stops(monkeypatch, settings, converts):
    swallowing = SwallowingPass(converts=converts)
    monkeypatch.setattr(sender, "send_due", swallowing)
    loop = asyncio.create_task(
        sender.run_sender(
            mailer=None,  # type: ignore[arg-type]
            max_attempts=3,
            interval_seconds=0.001,
            settings=settings,
        )
    )
    await _cancel_inside(loop, [swallowing])


@pytest.mark.parametrize("converts", [False, True], ids=["returns", "raises"])
async def test_the_webhook_dispatcher_stops(monkeypatch, settings, converts):
    swallowing = SwallowingPass(converts=converts)
    dispatcher = Dispatcher(settings.model_copy(update={"webhook_dispatch_poll_seconds": 0.001}))
    monkeypatch.setattr(dispatcher, "dispatch_due", swallowing)
    try:
        loop = asyncio.create_task(dispatcher.run())
        await _cancel_inside(loop, [swallowing])
    finally:
        await dispatcher.aclose()


@pytest.mark.parametrize("converts", [False, True], ids=["returns", "raises"])
async def test_the_analysis_runner_stops(monkeypatch, settings, converts):
    swallowing = SwallowingPass(converts=converts)
    fast = settings.model_copy(update={"analysis_poll_interval_seconds": 0.001})
    async with FakeGemini() as gemini, runner_for(analysis_settings(fast, gemini)) as runner:
        monkeypatch.setattr(runner, "run_pass", swallowing)
        loop = asyncio.create_task(runner.run_forever())
        await _cancel_inside(loop, [swallowing])
