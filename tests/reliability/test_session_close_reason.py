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

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
import pytest_asyncio
from livekit.agents.voice.events import CloseReason

from core.call_events import CallStatus, StatusSource
from orm.models import Call
from tests.support.calls import record_end
from tests.support.factories import Factories
from tests.support.scripted_llm import ScriptedLLM
from tests.support.servers import RunningServer
from tests.support.waiting import eventually
from tests.support.worker_job import RunningJob, running_job
from worker.session import PreparedCall

pytestmark = pytest.mark.slow

GREETING = "Hello, Calm Clinic, this is Ada."


@dataclass
class Job:
    call: Call
    running: RunningJob
    prepared: PreparedCall


@pytest_asyncio.fixture
async def job(server: RunningServer, make: Factories) -> AsyncIterator[Job]:
    """A call in progress on a worker job whose agent has greeted the caller."""
    tenant = await make.tenant("Calm Clinic", balance=1000)
    agent = await make.agent(tenant, name="Ada", greeting=GREETING)
    call = await make.call(tenant, agent)
    async with running_job(
        server.settings, call_id=call.id, model=ScriptedLLM([GREETING])
    ) as running:
        await running.finished()
        prepared = await running.prepared()
        assert (await Call.get(id=call.id)).status == "in_progress"
        yield Job(call, running, prepared)


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
        await job.running.shut_down("job shutdown")

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
    await record_end(job.call, CallStatus.COMPLETED, "caller_hung_up", source=StatusSource.LIVEKIT)
    assert await _ended_reason(job.call) == "transferred"
