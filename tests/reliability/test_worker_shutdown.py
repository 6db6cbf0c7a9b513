"""The worker finishes its calls when its job shuts down, and the API's janitor ends the
calls of a worker that vanished.

A job lives in a LiveKit job process (tests/fakes/livekit_job.py follows livekit-agents
1.8.9): prewarmed before the call with the worker's own resources (its database
connection, bus and HTTP client), shut down by closing the primary AgentSession and then
running every shutdown callback at once under `asyncio.gather`; once they return the
process exits and whatever the job still ran dies with it, and a process that takes longer
than `shutdown_process_timeout` is killed. The job runs with a scripted model, as in
tests/e2e/test_call_end_to_end.py, on a bus that takes a Redis round trip on a bad day.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
import pytest_asyncio
from livekit.agents import JobContext

from core import events
from core.call_events import CallEventType
from core.call_snapshot import CallSnapshot
from core.events import TIMED_OUT, InProcessBus, call_channel
from core.services import calls
from core.services.calls import GRACE_SECONDS, RINGING_LIMIT_SECONDS, CallStatus
from core.settings import Settings
from orm.models import Call, CallEvent, CreditLedgerEntry
from tests.fakes.livekit_job import FakeJobProcess
from tests.support.factories import Factories, Tenant
from tests.support.scripted_llm import ScriptedLLM
from tests.support.servers import RunningServer
from tests.support.waiting import DEADLINE, eventually
from worker.entrypoint import run_job
from worker.process import ProcessResources, open_process_resources
from worker.session import PreparedCall, WorkerDeps

pytestmark = pytest.mark.slow

GREETING = "Hello, Steady Clinic, this is Ada."
CALLER_LAST_WORDS = "That is all, thank you. Bye!"
GOODBYE = "Goodbye, take care!"
RESOURCES = "test.resources"


class SlowBus(InProcessBus):
    """The in-process bus, taking a Redis round trip on a bad day to publish; keeps a log
    of what it published and when it was closed."""

    def __init__(self, delay: float = 0.2) -> None:
        super().__init__()
        self.delay = delay
        self.published: list[events.Event] = []
        self.log: list[str] = []
        self.stalled = False

    async def publish(self, event: events.Event) -> None:
        if self.stalled:
            await asyncio.Event().wait()  # a connection that never answers
        await asyncio.sleep(self.delay)
        self.published.append(event)
        self.log.append(f"publish {event.type}")
        await super().publish(event)

    async def close(self) -> None:
        self.log.append("close")
        await super().close()


@dataclass
class Job:
    call: Call
    process: FakeJobProcess
    prepared: PreparedCall
    bus: SlowBus

    @property
    def resources(self) -> ProcessResources:
        return self.process.proc.userdata[RESOURCES]

    async def caller_says(self, text: str) -> None:
        """The caller's words reach the session from the room, inside the job process."""
        said = self.process.run_in_job(self.prepared.session.run(user_input=text))
        await asyncio.wait_for(said, DEADLINE)


async def _clinic(make: Factories) -> Tenant:
    return await make.tenant("Steady Clinic", balance=1000)


async def _ringing_call(make: Factories, tenant: Tenant, **snapshot_overrides: object) -> Call:
    agent = await make.agent(
        tenant, name="Ada", system_prompt="You book visits.", greeting=GREETING
    )
    snapshot = {**(await CallSnapshot.of_agent(agent)).as_stored(), **snapshot_overrides}
    return await make.call(tenant, agent, snapshot=snapshot)


def _prewarm(settings: Settings, bus: SlowBus) -> Callable[[object], None]:
    """The worker's prewarm, with this test's bus; the process's database is its own (not
    Tortoise's global one, which is the test's)."""

    def setup(proc: object) -> None:
        proc.userdata[RESOURCES] = open_process_resources(  # type: ignore[attr-defined]
            settings, global_database=False, bus=bus
        )

    return setup


async def _start_job(server: RunningServer, call: Call, *, settings: Settings | None = None) -> Job:
    """A worker job process running the call, once its agent has greeted the caller."""
    settings = settings or server.settings
    bus = SlowBus()
    ready: asyncio.Future[PreparedCall] = asyncio.get_running_loop().create_future()
    process = FakeJobProcess(
        job_metadata=json.dumps({"call_id": str(call.id)}),
        room_name=f"call-{call.id}",
        setup_fnc=_prewarm(settings, bus),
        shutdown_process_timeout=settings.worker_shutdown_timeout_seconds + 1,
    )

    async def entrypoint(ctx: JobContext) -> None:
        await run_job(
            ctx,
            lambda: WorkerDeps.of_process(
                ctx.proc.userdata[RESOURCES],
                model_factory=lambda snapshot, settings: ScriptedLLM([GREETING, GOODBYE]),
                use_room=False,
                on_ready=lambda prepared: ready.set_result(prepared),
            ),
        )

    await process.start(entrypoint)
    prepared = await asyncio.wait_for(ready, DEADLINE)
    # the greeting reaches the record and the bus: the call is really under way
    await eventually(
        lambda: CallEventType.TRANSCRIPT_SEGMENT in [e.type for e in bus.published],
        what="the greeting is published",
    )
    assert (await Call.get(id=call.id)).status == "in_progress"
    return Job(call, process, prepared, bus)


@pytest_asyncio.fixture
async def job(server: RunningServer, make: Factories) -> AsyncIterator[Job]:
    """A call in progress on a worker job whose agent has greeted the caller."""
    started = await _start_job(server, await _ringing_call(make, await _clinic(make)))
    yield started
    await started.process.shut_down()


async def _timeline(call_id: uuid.UUID) -> list[tuple[str, dict]]:
    rows = await CallEvent.filter(call_id=call_id).order_by("seq")
    assert [row.seq for row in rows] == list(range(1, len(rows) + 1))
    return [(row.type, row.data) for row in rows]


def _transcript(timeline: list[tuple[str, dict]]) -> list[tuple[str, str]]:
    return [
        (data["speaker"], data["text"])
        for kind, data in timeline
        if kind == CallEventType.TRANSCRIPT_SEGMENT
    ]


async def test_a_job_shut_down_mid_sentence_records_every_line_and_the_end_then_closes(
    job: Job,
):
    # given the caller's last words and the agent's goodbye still on their way to the record
    await job.caller_says(CALLER_LAST_WORDS)

    # when the worker shuts the job down at once (it is draining; LiveKit ends the job)
    outcome = await job.process.shut_down()

    # then the process exited by itself, within its shutdown timeout
    assert not outcome.killed and not outcome.errors
    # and the call is over, as a job shutdown, not as the caller hanging up
    call = await Call.get(id=job.call.id)
    assert (call.status, call.ended_reason) == ("completed", "job_shutdown")
    assert call.ended_at is not None and call.duration_seconds is not None
    assert await CreditLedgerEntry.filter(reference=f"call:{call.id}").count() == 1
    # and every line of the conversation is recorded, before the end
    timeline = await _timeline(call.id)
    assert _transcript(timeline) == [
        ("agent", GREETING),
        ("caller", CALLER_LAST_WORDS),
        ("agent", GOODBYE),
    ]
    assert [kind for kind, _ in timeline][-2:] == [
        CallEventType.STATUS_CHANGED,
        CallEventType.ENDED,
    ]
    # and only then were the job's connections closed: everything published, then the bus
    assert job.bus.log[-3:] == [
        f"publish {CallEventType.STATUS_CHANGED}",
        f"publish {CallEventType.ENDED}",
        "close",
    ]
    assert job.resources.http.is_closed


async def test_a_job_whose_room_went_away_ends_the_call_with_that_reason(job: Job):
    # given a call in progress, watched live
    async with job.bus.subscription(call_channel(job.call.id)) as watcher:
        # when the room is deleted under the job (LiveKit disconnects it)
        await job.process.shut_down("room disconnected")

        # then the call is over, with the reason, the time and the charge
        call = await Call.get(id=job.call.id)
        assert (call.status, call.ended_reason) == ("completed", "room_closed")
        assert call.ended_at is not None and call.duration_seconds is not None
        assert await CreditLedgerEntry.filter(reference=f"call:{call.id}").count() == 1
        timeline = await _timeline(call.id)
        assert timeline[-2] == (
            CallEventType.STATUS_CHANGED,
            {"from": "in_progress", "to": "completed", "source": "worker", "reason": "room_closed"},
        )
        assert timeline[-1][0] == CallEventType.ENDED
        assert _transcript(timeline) == [("agent", GREETING)]
        # and subscribers were told, once
        published = [await watcher.get(timeout=DEADLINE) for _ in range(2)]
        assert TIMED_OUT not in published
        assert [e.type for e in published] == [CallEventType.STATUS_CHANGED, CallEventType.ENDED]  # type: ignore[union-attr]
    assert [e.type for e in job.bus.published].count(CallEventType.ENDED) == 1


async def test_a_job_that_hung_up_keeps_its_own_ending(job: Job):
    # given the agent ended the call itself (its end_call tool records, then hangs up)
    await job.prepared.recorder.status(CallStatus.COMPLETED, reason="agent_ended")
    assert job.process.context is not None
    job.process.context.shutdown(reason="call ended")

    # when the job process exits by itself
    outcome = await job.process.exited()

    # then the call keeps the agent's ending, recorded once, and the job closed its bus
    assert not outcome.killed and not outcome.errors
    call = await Call.get(id=job.call.id)
    assert (call.status, call.ended_reason) == ("completed", "agent_ended")
    assert await CallEvent.filter(call_id=call.id, type=CallEventType.ENDED).count() == 1
    assert job.bus.log[-1] == "close"


async def test_a_shutdown_that_cannot_finish_the_record_still_closes_before_the_kill(
    server: RunningServer, make: Factories
):
    # given a job whose bus stops answering, with a short shutdown timeout
    settings = server.settings.model_copy(update={"worker_shutdown_timeout_seconds": 2.0})
    job = await _start_job(
        server, await _ringing_call(make, await _clinic(make)), settings=settings
    )
    job.bus.stalled = True

    # when the worker shuts the job down
    outcome = await job.process.shut_down()

    # then the job gave up on the record in time and closed its connections itself: the
    # process exited before the worker had to kill it (the janitor ends such a call)
    assert not outcome.killed
    assert job.bus.log[-1] == "close"
    assert job.resources.http.is_closed


async def test_the_janitor_fails_the_calls_of_a_worker_that_vanished(
    server: RunningServer, make: Factories
):
    # given calls whose worker died without a word: one never answered, one past its limit
    clinic = await _clinic(make)
    never_answered = await _ringing_call(make, clinic)
    lost = await _ringing_call(make, clinic, max_call_duration_seconds=60)
    # and calls that are merely young: ringing, and in progress within their limit
    ringing = await _ringing_call(make, clinic)
    talking = await _ringing_call(make, clinic, max_call_duration_seconds=60)
    now = datetime.now(UTC)
    await Call.filter(id=never_answered.id).update(
        created_at=now - timedelta(seconds=RINGING_LIMIT_SECONDS + 5)
    )
    for call, answered_seconds_ago in ((lost, 60 + GRACE_SECONDS + 5), (talking, 30)):
        await calls.apply_status(
            call_id=call.id, status=CallStatus.IN_PROGRESS, source="worker", bus=None
        )
        await Call.filter(id=call.id).update(
            answered_at=now - timedelta(seconds=answered_seconds_ago)
        )
    bus = InProcessBus()

    # when the janitor passes (a dashboard watching the lost call)
    async with bus.subscription(call_channel(lost.id)) as watcher:
        failed = await calls.fail_abandoned(bus=bus)

        # then the abandoned calls are failed with their reason, and subscribers told
        assert failed == 2
        published = [await watcher.get(timeout=DEADLINE) for _ in range(2)]
        assert TIMED_OUT not in published
        assert [e.type for e in published] == [CallEventType.STATUS_CHANGED, CallEventType.ENDED]  # type: ignore[union-attr]
    after = {c.id: c for c in await Call.filter(organization_id=clinic.organization_uuid)}
    assert (after[never_answered.id].status, after[never_answered.id].ended_reason) == (
        "failed",
        "never_answered",
    )
    assert (after[lost.id].status, after[lost.id].ended_reason) == ("failed", "worker_lost")
    assert after[lost.id].ended_at is not None
    # and the young calls are left alone
    assert (after[ringing.id].status, after[ringing.id].ended_reason) == ("ringing", None)
    assert (after[talking.id].status, after[talking.id].ended_reason) == ("in_progress", None)
    # and a second pass changes nothing
    await calls.fail_abandoned(bus=bus)
    assert await CallEvent.filter(call_id=lost.id, type=CallEventType.ENDED).count() == 1
