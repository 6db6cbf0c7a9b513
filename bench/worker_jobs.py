"""The job processes' side of bench/worker_start.py: what LiveKit's pool runs in them.

Only the standard library at module level: the cold variant must pay for importing the
worker inside the job, as a job did before the worker preloaded and prewarmed.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any


def prewarm(proc: Any) -> None:
    """The worker's own prewarm (`AgentServer.setup_fnc`)."""
    from worker.process import prewarm as worker_prewarm

    _like_a_real_job()
    worker_prewarm(proc)


def no_prewarm(proc: Any) -> None:
    """LiveKit's default setup function: nothing (but the bench's own adjustment)."""
    _like_a_real_job()


def _like_a_real_job() -> None:
    """The bench's jobs are fake jobs, which LiveKit gives a mock room (`create_mock_room`:
    `create_autospec` of rtc.Room, ~25 ms on first use, then cached); a real job's
    `rtc.Room()` takes under a millisecond. Built here, neither variant pays for it."""
    from livekit.agents.ipc.mock_room import create_mock_room

    create_mock_room()


async def warm_job(ctx: Any) -> None:
    entered = time.monotonic()
    from worker.entrypoint import run_job
    from worker.process import RESOURCES_KEY
    from worker.session import WorkerDeps

    factory = _scripted_model(ctx, entered)
    await run_job(
        ctx,
        lambda: WorkerDeps.of_process(
            ctx.proc.userdata[RESOURCES_KEY], model_factory=factory, use_room=False
        ),
    )


async def cold_job(ctx: Any) -> None:
    entered = time.monotonic()
    import httpx

    from core.events import build_bus
    from core.integrations.livekit_rooms import LiveKitRooms
    from core.settings import get_settings
    from worker.entrypoint import run_job
    from worker.session import WorkerDeps
    from worker.tools.registry import discover

    settings = get_settings()
    factory = _scripted_model(ctx, entered)
    await run_job(
        ctx,
        lambda: WorkerDeps(
            settings=settings,
            bus=build_bus(settings),
            rooms=LiveKitRooms(settings),
            model_factory=factory,
            http=httpx.AsyncClient(),
            specs=discover(),
            use_room=False,
        ),
    )


def _scripted_model(ctx: Any, entered: float) -> Any:
    """The scripted model (tests/support/scripted_llm.py), noting when the agent first asks
    it for something: the greeting."""
    from tests.support.scripted_llm import ScriptedLLM

    report = json.loads(ctx.job.metadata)["bench_report"]

    class GreetingClock(ScriptedLLM):
        def chat(self, **kw: Any) -> Any:  # type: ignore[override]
            if not self.requests:
                greeting_requested = time.monotonic()
                with open(report + ".tmp", "w") as out:
                    json.dump(
                        {"entrypoint": entered, "greeting_requested": greeting_requested}, out
                    )
                os.replace(report + ".tmp", report)  # the bench never reads half a file
            return super().chat(**kw)

    return lambda snapshot, settings: GreetingClock(["Hello, Bench, how can I help?"])
