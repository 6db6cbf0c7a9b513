"""The fake LiveKit job process (tests/fakes/livekit_job.py) behaves like livekit-agents
1.8.9's: callbacks at once, the job's tasks gone when the process exits, a kill after
`shutdown_process_timeout`."""

from __future__ import annotations

import asyncio

from livekit.agents import JobContext

from tests.fakes.livekit_job import PARENT_SHUTDOWN, FakeJobProcess
from tests.support.waiting import DEADLINE


async def test_shutdown_callbacks_run_at_once_with_the_reason():
    # given a job with two callbacks that each wait for the other to have started
    started: list[str] = []
    both = asyncio.Event()

    async def entrypoint(ctx: JobContext) -> None:
        async def callback(name: str, reason: str) -> None:
            started.append(f"{name}:{reason}")
            if len(started) == 2:
                both.set()
            await asyncio.wait_for(both.wait(), DEADLINE)

        ctx.add_shutdown_callback(lambda reason: callback("first", reason))
        ctx.add_shutdown_callback(lambda reason: callback("second", reason))

    job = FakeJobProcess()
    await job.start(entrypoint)

    # when the worker shuts the job down
    outcome = await job.shut_down()

    # then both ran together (neither could finish alone), with the shutdown's reason
    assert sorted(started) == [f"first:{PARENT_SHUTDOWN}", f"second:{PARENT_SHUTDOWN}"]
    assert not outcome.killed and not outcome.errors


async def test_what_the_job_left_running_dies_with_the_process():
    # given a job that started a background task and registered no callback
    left_running: list[asyncio.Task[None]] = []

    async def entrypoint(ctx: JobContext) -> None:
        left_running.append(asyncio.create_task(asyncio.Event().wait()))

    job = FakeJobProcess()
    await job.start(entrypoint)
    await asyncio.wait_for(job.entrypoint, DEADLINE)

    # when the job hangs up itself
    assert job.context is not None
    job.context.shutdown(reason="call ended")
    outcome = await job.exited()

    # then the process exited, and its task did not survive it
    assert outcome.user_initiated and outcome.reason == "call ended"
    assert left_running[0].cancelled()


async def test_a_process_that_does_not_exit_in_time_is_killed():
    # given a job whose shutdown callback never returns, and a short process timeout
    async def entrypoint(ctx: JobContext) -> None:
        async def hang(reason: str) -> None:
            await asyncio.Event().wait()

        ctx.add_shutdown_callback(hang)

    job = FakeJobProcess(shutdown_process_timeout=0.2)
    await job.start(entrypoint)

    # when the worker shuts it down
    outcome = await job.shut_down("room disconnected")

    # then the worker killed it after the timeout
    assert outcome.killed and outcome.reason == "room disconnected"
