"""One LiveKit job process, run in this event loop the way livekit-agents 1.8.9 runs it.

The worker's job lives and dies by LiveKit's job process, so this fake follows its code
(paths under `livekit/agents/` of livekit-agents 1.8.9, as installed in .venv), not a
guess; https://docs.livekit.io/agents/server/job/ ("Shutdown") describes the same order:

- `ipc/job_proc_lazy_main.py` `_JobProc.initialize`: the server's `setup_fnc` (prewarm)
  runs once per process, before the job's event loop exists (`ipc/proc_client.py`
  `_ProcClient.initialize`, then `_ProcClient.run` creates the loop). Here: in a thread,
  where no loop runs, inside the job's own `contextvars` context.
- `_JobProc._start_job` / `_run_job_task`: a `JobContext` on the process's room, the
  entrypoint in a task of its own; `JobContext.shutdown(reason)` (the job hanging up)
  starts the shutdown.
- `_JobProc._shutdown_job`: wait for the entrypoint (15 s, then cancel it); close the
  primary `AgentSession` (`_SESSION_ACLOSE_TIMEOUT`, 60 s); send `ShuttingDown`; disconnect
  the room; then run EVERY shutdown callback at once, one task each, under
  `asyncio.gather`, each called with the shutdown reason. An exception is logged
  ("error while shutting down the job") and changes nothing else.
- `_run_job_task` (its `finally`) and `ipc/proc_client.py` `_ProcClient.run`: once the
  callbacks return, every task still pending is cancelled and the loop closed: the
  process exits, and nothing the job left running survives it.
- `ipc/supervised_proc.py` `SupervisedProc.aclose`: when the worker shuts a job down
  (draining, or LiveKit terminating the job) it sends `ShutdownRequest`, waits for
  `ShuttingDown`, then gives the process `close_timeout` to exit and SIGKILLs it after
  that (`_send_kill_signal`). `close_timeout` is the server's `shutdown_process_timeout`
  (`worker.py`, `AgentServer(shutdown_process_timeout=10.0)` by default).

What differs from a real process, and why it does not matter to the tests: the job's tasks
are told apart from the test's by a context variable (a task factory on the loop records
every task created in the job's context); "killing" the process cancels those tasks,
which runs their `finally` blocks where a SIGKILL runs none (the worker writes nothing in
one); the room is an unconnected `rtc.Room`.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import uuid
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from livekit import rtc
from livekit.agents import JobContext, JobExecutorType, JobProcess
from livekit.agents.job import JobAcceptArguments, RunningJobInfo, _JobContextVar
from livekit.protocol import agent as agent_proto
from livekit.protocol import models

log = logging.getLogger(__name__)

# livekit-agents 1.8.9 ipc/job_proc_lazy_main.py `_shutdown_job` and worker.py defaults.
ENTRYPOINT_EXIT_TIMEOUT = 15.0
SESSION_ACLOSE_TIMEOUT = 60.0
SHUTDOWN_PROCESS_TIMEOUT = 10.0
# The reason a ShutdownRequest from the worker carries when it gives none.
PARENT_SHUTDOWN = "parent process shutdown"

_JOB: contextvars.ContextVar[FakeJobProcess | None] = contextvars.ContextVar(
    "fake_job_process", default=None
)


@dataclass
class ShutdownRecord:
    reason: str = ""
    user_initiated: bool = False
    # The worker's kill came before the process exited by itself.
    killed: bool = False
    # What the callbacks raised (LiveKit logs it and carries on).
    errors: list[BaseException] = field(default_factory=list)


class FakeJobProcess:
    """`start(entrypoint)`, then either the job hangs up (`JobContext.shutdown`, then
    `await exited()`), or the worker shuts it down (`await shut_down(reason)`)."""

    def __init__(
        self,
        *,
        job_metadata: str = "",
        room_name: str = "fake-room",
        setup_fnc: Callable[[JobProcess], Any] | None = None,
        shutdown_process_timeout: float = SHUTDOWN_PROCESS_TIMEOUT,
    ) -> None:
        self.setup_fnc = setup_fnc
        self.shutdown_process_timeout = shutdown_process_timeout
        self.proc = JobProcess(
            executor_type=JobExecutorType.PROCESS, user_arguments=None, http_proxy=None
        )
        self.room = rtc.Room()
        self.info = RunningJobInfo(
            accept_arguments=JobAcceptArguments(identity="agent-job", name="", metadata=""),
            job=agent_proto.Job(
                id=f"AJ_{uuid.uuid4().hex[:12]}",
                room=models.Room(name=room_name, sid=f"RM_{uuid.uuid4().hex[:12]}"),
                type=agent_proto.JobType.JT_ROOM,
                metadata=job_metadata,
            ),
            url="",
            token="",
            worker_id="fake-worker",
            fake_job=True,
        )
        self.record = ShutdownRecord()
        self.shutting_down = asyncio.Event()
        self._tasks: weakref.WeakSet[asyncio.Task[Any]] = weakref.WeakSet()
        self._shutdown_requested: asyncio.Future[tuple[str, bool]] | None = None
        self._process: contextvars.Context | None = None
        self._main: asyncio.Task[None] | None = None
        self._entry: asyncio.Task[None] | None = None
        self.context: JobContext | None = None

    # --- the process ---------------------------------------------------------------------

    async def start(self, entrypoint: Callable[[JobContext], Awaitable[None]]) -> JobContext:
        loop = asyncio.get_running_loop()
        _track_tasks(loop)
        self._process = contextvars.copy_context()
        self._process.run(_JOB.set, self)
        if self.setup_fnc is not None:
            # _JobProc.initialize: no event loop yet; whatever the prewarm makes current
            # in its context, every task of the process inherits.
            await asyncio.to_thread(self._process.run, self.setup_fnc, self.proc)
        self._shutdown_requested = loop.create_future()
        self.context = JobContext(
            proc=self.proc,
            info=self.info,
            room=self.room,
            on_connect=lambda: None,
            on_shutdown=lambda reason: self._request(reason or "user requested", True),
            inference_executor=_NoInference(),
        )
        # a fake job has no signal URL; `session.start(room=...)` must not connect
        self.context._connected = True
        self._process.run(_JobContextVar.set, self.context)
        self._entry = loop.create_task(
            entrypoint(self.context), name="job_user_entrypoint", context=self._process.copy()
        )
        self._main = loop.create_task(
            self._run_job_task(), name="job_task", context=self._process.copy()
        )
        return self.context

    @property
    def entrypoint(self) -> asyncio.Task[None]:
        assert self._entry is not None
        return self._entry

    def run_in_job(self, work: Awaitable[Any]) -> asyncio.Task[Any]:
        """Run `work` as the process would: what reaches a job from its room (the caller's
        speech, a participant leaving) is handled in the job's own tasks."""

        async def run() -> Any:
            return await work

        return asyncio.get_running_loop().create_task(run(), context=self._process_copy())

    def _request(self, reason: str, user_initiated: bool) -> None:
        if self._shutdown_requested is not None and not self._shutdown_requested.done():
            self._shutdown_requested.set_result((reason, user_initiated))

    async def _run_job_task(self) -> None:
        assert self._shutdown_requested is not None and self.context is not None
        reason, user_initiated = await self._shutdown_requested
        self.record.reason, self.record.user_initiated = reason, user_initiated
        try:
            await self._shutdown_job(reason)
        finally:
            # the process exits: whatever the job still runs dies with it
            await self._cancel_job_tasks()

    async def _shutdown_job(self, reason: str) -> None:
        assert self._entry is not None and self.context is not None
        if not self._entry.done():
            try:
                await asyncio.wait_for(asyncio.shield(self._entry), ENTRYPOINT_EXIT_TIMEOUT)
            except TimeoutError:
                self._entry.cancel()
            except BaseException:
                pass
        if session := self.context._primary_agent_session:
            try:
                await asyncio.wait_for(session.aclose(), SESSION_ACLOSE_TIMEOUT)
            except TimeoutError:
                log.error("AgentSession.aclose() timed out")
        self.shutting_down.set()  # ShuttingDown: from here the worker's kill clock runs
        await self.room.disconnect()
        tasks = [
            asyncio.get_running_loop().create_task(
                callback(reason), name="job_shutdown_callback", context=self._process_copy()
            )
            for callback in self.context._shutdown_callbacks
        ]
        try:
            await asyncio.gather(*tasks)
        except Exception as error:
            log.exception("error while shutting down the job")
            self.record.errors.append(error)

    def _process_copy(self) -> contextvars.Context:
        assert self._process is not None
        return self._process.copy()

    async def _cancel_job_tasks(self) -> None:
        current = asyncio.current_task()
        doomed = [task for task in list(self._tasks) if task is not current and not task.done()]
        for task in doomed:
            task.cancel()
        if doomed:
            await asyncio.wait(doomed)

    # --- the worker's side -----------------------------------------------------------------

    async def shut_down(self, reason: str = PARENT_SHUTDOWN) -> ShutdownRecord:
        """SupervisedProc.aclose: ask, wait for ShuttingDown, give the process
        `shutdown_process_timeout` to exit, then kill it."""
        assert self._main is not None
        self._request(reason, False)
        await self.shutting_down.wait()
        done, _ = await asyncio.wait({self._main}, timeout=self.shutdown_process_timeout)
        if not done:
            self.record.killed = True
            await self._cancel_job_tasks()
            self._main.cancel()
            await asyncio.wait({self._main})
        return self.record

    async def exited(self) -> ShutdownRecord:
        """The process exits by itself (the job called `JobContext.shutdown`)."""
        assert self._main is not None
        await self._main
        return self.record


class _NoInference:
    """The job asks the worker's inference process nothing in these tests."""

    async def do_inference(self, method: str, data: bytes) -> bytes | None:
        raise RuntimeError(f"no inference executor in the fake job process ({method})")


def _track_tasks(loop: asyncio.AbstractEventLoop) -> None:
    """Record each task created inside a fake job's context with that job."""
    if getattr(loop.get_task_factory(), "_fake_job_tracker", False):
        return
    previous = loop.get_task_factory()

    def factory(
        loop: asyncio.AbstractEventLoop, coro: Any, context: contextvars.Context | None = None
    ) -> asyncio.Future[Any]:
        job = context.get(_JOB) if context is not None else _JOB.get()
        if previous is not None:
            task = (
                previous(loop, coro) if context is None else previous(loop, coro, context=context)  # type: ignore[call-arg]
            )
        else:
            task = asyncio.Task(coro, loop=loop, context=context)
        if job is not None and isinstance(task, asyncio.Task):
            job._tasks.add(task)
        return task

    factory._fake_job_tracker = True  # type: ignore[attr-defined]
    loop.set_task_factory(factory)  # type: ignore[arg-type]
