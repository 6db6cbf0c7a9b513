"""The worker's job for a call, run in the test's process: production code from the job's
entrypoint on (worker/entrypoint.py `run_job`), under livekit-agents' `fake_job_context`,
with a scripted model and without the room's media (text only).

    async with running_job(settings, call_id=call.id, model=ScriptedLLM([GREETING])) as job:
        prepared = await job.prepared()       # the session runs, the call is in progress
        await prepared.session.run(user_input="Hello?")

`worker_deps` gives the job's dependencies alone, for a test that prepares a call itself
(`worker.session.prepare_call`). Import this module only where a worker runs: it imports
livekit.agents (seconds, ~130 MB).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
from livekit.agents import JobContext
from livekit.agents.testing import fake_job_context

from core.events import InProcessBus
from core.integrations.livekit_rooms import LiveKitRooms
from core.settings import Settings
from tests.support.waiting import DEADLINE
from worker.entrypoint import run_job
from worker.model_factory import ModelFactory
from worker.session import PreparedCall, WorkerDeps


@contextlib.asynccontextmanager
async def worker_deps(
    settings: Settings, model_factory: ModelFactory, **options: Any
) -> AsyncIterator[WorkerDeps]:
    """What a job runs on, lent by the test: an HTTP client and LiveKit's client (closed
    after), an in-process bus, the test's database (the job neither opens nor closes it),
    and no room. `options` are further WorkerDeps fields, or replace these."""
    async with httpx.AsyncClient() as http, contextlib.aclosing(LiveKitRooms(settings)) as rooms:
        values: dict[str, Any] = {
            "settings": settings,
            "bus": InProcessBus(),
            "rooms": rooms,
            "model_factory": model_factory,
            "http": http,
            "specs": {},
            "manage_database": False,
            "use_room": False,
            **options,
        }
        yield WorkerDeps(**values)


def call_metadata(call_id: uuid.UUID) -> str:
    """The job's metadata as the call's room dispatches it (the call's id)."""
    return json.dumps({"call_id": str(call_id)})


@dataclass
class RunningJob:
    context: JobContext
    task: asyncio.Task[None]
    ready: asyncio.Future[PreparedCall]
    shut: bool = False

    async def prepared(self) -> PreparedCall:
        """The call, once its session runs (an outgoing call: once the callee answered);
        the job's own error if it failed first."""
        either: set[asyncio.Future[Any]] = {self.ready, self.task}
        await asyncio.wait(either, timeout=DEADLINE, return_when=asyncio.FIRST_COMPLETED)
        if self.ready.done():
            return self.ready.result()
        if self.task.done():
            self.task.result()
            raise AssertionError("the job returned without starting the call's session")
        raise TimeoutError(f"the call's session did not start within {DEADLINE} s")

    async def finished(self) -> None:
        """The job's entrypoint returned: at once when the session started, or after it
        ended a call that was never answered."""
        await asyncio.wait_for(asyncio.shield(self.task), DEADLINE)

    async def shut_down(self, reason: str) -> None:
        """Run the job's shutdown callbacks as livekit-agents does: all at once."""
        self.shut = True
        await asyncio.gather(*(callback(reason) for callback in self.context._shutdown_callbacks))


@contextlib.asynccontextmanager
async def running_job(
    settings: Settings,
    *,
    model: Any,
    call_id: uuid.UUID | None = None,
    metadata: str | None = None,
    **options: Any,
) -> AsyncIterator[RunningJob]:
    """The job LiveKit dispatched for a call (`call_id`, or the dispatch's own `metadata`),
    started, its session talking with `model`. On exit the session is closed and a job
    still running is cancelled."""
    if metadata is None:
        assert call_id is not None, "name the call or the dispatch's metadata"
        metadata = call_metadata(call_id)
    ready: asyncio.Future[PreparedCall] = asyncio.get_running_loop().create_future()
    async with worker_deps(
        settings, lambda snapshot, s: model, on_ready=ready.set_result, **options
    ) as deps:
        with fake_job_context(job_metadata=metadata) as context:
            task = asyncio.ensure_future(run_job(context, lambda: deps))
            job = RunningJob(context, task, ready)
            try:
                yield job
            finally:
                # A job always ends with its shutdown (the process goes after it): run it
                # when the test did not, so no watcher of the call outlives the test.
                if not job.shut:
                    with contextlib.suppress(BaseException):
                        await job.shut_down("test ended")
                if ready.done() and not ready.cancelled():
                    await ready.result().session.aclose()
                if not task.done():
                    task.cancel()
                with contextlib.suppress(BaseException):
                    await task
