"""Why the worker's session closed decides the reason it records: only the caller's line
leaving is a hang-up (or a transfer, which the worker records and which then wins: see
tests/calls_webhooks/test_call_ending_rule.py); a job shutting down is not.

livekit-agents closes a session with a `CloseReason` (livekit/agents/voice/events.py):
RoomIO closes it with `participant_disconnected` when the linked participant leaves, and
the job's shutdown closes the primary session with `user_initiated`
(ipc/job_proc_lazy_main.py `_shutdown_job`) or `job_shutdown` (its own shutdown callback).
The job runs in-process under `fake_job_context` with the scripted model.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
import pytest_asyncio
from livekit.agents import JobContext
from livekit.agents.testing import fake_job_context
from livekit.agents.voice.events import CloseReason

from core.call_events import CallStatus, StatusSource
from core.call_snapshot import CallSnapshot
from core.events import InProcessBus
from core.integrations.livekit_rooms import LiveKitRooms
from core.services import calls
from orm.models import Call
from tests.support.factories import Factories
from tests.support.scripted_llm import ScriptedLLM
from tests.support.servers import RunningServer
from tests.support.waiting import DEADLINE, eventually
from worker.entrypoint import run_job
from worker.session import PreparedCall, WorkerDeps

pytestmark = pytest.mark.slow

GREETING = "Hello, Calm Clinic, this is Ada."


@dataclass
class Job:
    call: Call
    context: JobContext
    prepared: PreparedCall


@pytest_asyncio.fixture
async def job(server: RunningServer, make: Factories) -> AsyncIterator[Job]:
    """A call in progress on a worker job whose agent has greeted the caller."""
    tenant = await make.tenant("Calm Clinic", balance=1000)
    agent = await make.agent(tenant, name="Ada", greeting=GREETING)
    call = await make.call(tenant, agent, snapshot=(await CallSnapshot.of_agent(agent)).as_stored())
    ready: asyncio.Future[PreparedCall] = asyncio.get_running_loop().create_future()
    async with (
        httpx.AsyncClient() as http,
        contextlib.aclosing(LiveKitRooms(server.settings)) as rooms,
    ):
        deps = WorkerDeps(
            settings=server.settings,
            bus=InProcessBus(),
            rooms=rooms,
            model_factory=lambda snapshot, settings: ScriptedLLM([GREETING]),
            http=http,
            specs={},
            manage_database=False,
            use_room=False,
            on_ready=lambda prepared: ready.set_result(prepared),
        )
        with fake_job_context(job_metadata=json.dumps({"call_id": str(call.id)})) as context:
            await run_job(context, lambda: deps)
            prepared = await asyncio.wait_for(ready, DEADLINE)
            assert (await Call.get(id=call.id)).status == "in_progress"
            yield Job(call, context, prepared)
            await prepared.session.aclose()


async def _ended_reason(call: Call) -> str | None:
    ended = await Call.get(id=call.id)
    return ended.ended_reason if ended.status == "completed" else None


@pytest.mark.parametrize(
    ("close_reason", "ended_reason"),
    [
        (CloseReason.PARTICIPANT_DISCONNECTED, "caller_hung_up"),
        (CloseReason.USER_INITIATED, "job_shutdown"),
        (CloseReason.JOB_SHUTDOWN, "job_shutdown"),
    ],
)
async def test_the_session_closing_records_why(job: Job, close_reason, ended_reason):
    # when the session closes for this reason (as RoomIO or the job's shutdown close it),
    # and then, as LiveKit does last, the job's shutdown callbacks run
    job.prepared.session._close_soon(reason=close_reason)
    if close_reason is not CloseReason.PARTICIPANT_DISCONNECTED:
        await asyncio.gather(
            *(callback("job shutdown") for callback in job.context._shutdown_callbacks)
        )

    # then
    await eventually(lambda: _ended_reason(job.call), what="the worker records the end")
    assert await _ended_reason(job.call) == ended_reason


async def test_a_transfer_recorded_after_the_callers_line_left_is_the_ending(job: Job):
    # given: the transfer makes the caller's line leave; the session closes on it
    job.prepared.session._close_soon(reason=CloseReason.PARTICIPANT_DISCONNECTED)
    await eventually(lambda: _ended_reason(job.call), what="the worker records the end")

    # when the transfer tool, its REFER done, records the transfer
    await job.prepared.recorder.status(CallStatus.COMPLETED, reason="transferred")

    # then
    assert await _ended_reason(job.call) == "transferred"
    # and LiveKit's report of the same departure, arriving last, changes nothing
    await calls.apply_status(
        call_id=job.call.id,
        status=CallStatus.COMPLETED,
        source=StatusSource.LIVEKIT,
        reason="caller_hung_up",
        bus=None,
    )
    assert await _ended_reason(job.call) == "transferred"
