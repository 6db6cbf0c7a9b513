"""The worker finishes its calls when its job shuts down, and the API's janitor ends the
calls of a worker that vanished.

A job shuts down the way LiveKit's job process does it (livekit/agents/ipc/
job_proc_lazy_main.py): the primary AgentSession is closed, then every callback
registered with `JobContext.add_shutdown_callback` runs, concurrently, with the
shutdown reason. The job itself runs in-process under `fake_job_context` with a
scripted model, as in tests/e2e/test_call_end_to_end.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import pytest_asyncio
from livekit.agents import AgentSession, JobContext
from livekit.agents.testing import fake_job_context

from core import events
from core.call_events import CallEventType
from core.call_snapshot import CallSnapshot
from core.events import TIMED_OUT, InProcessBus, call_channel
from core.integrations.livekit_rooms import LiveKitRooms
from core.services import calls
from core.services.calls import GRACE_SECONDS, RINGING_LIMIT_SECONDS, CallStatus
from orm.models import Call, CallEvent, CreditLedgerEntry
from tests.support.factories import Factories, Tenant
from tests.support.scripted_llm import ScriptedLLM
from tests.support.servers import RunningServer
from tests.support.waiting import DEADLINE, eventually
from worker import entrypoint
from worker.entrypoint import run_job
from worker.session import PreparedCall, WorkerDeps

pytestmark = pytest.mark.slow

GREETING = "Hello, Steady Clinic, this is Ada."


class SlowBus(InProcessBus):
    """The in-process bus, taking a Redis round trip on a bad day to publish; keeps a log."""

    def __init__(self, delay: float = 0.2) -> None:
        super().__init__()
        self.delay = delay
        self.published: list[events.Event] = []

    async def publish(self, event: events.Event) -> None:
        await asyncio.sleep(self.delay)
        self.published.append(event)
        await super().publish(event)


@dataclass
class Job:
    call: Call
    context: JobContext
    prepared: PreparedCall
    bus: SlowBus


async def _clinic(make: Factories) -> Tenant:
    return await make.tenant("Steady Clinic", balance=1000)


async def _ringing_call(make: Factories, tenant: Tenant, **snapshot_overrides: object) -> Call:
    agent = await make.agent(
        tenant, name="Ada", system_prompt="You book visits.", greeting=GREETING
    )
    snapshot = {**(await CallSnapshot.of_agent(agent)).as_stored(), **snapshot_overrides}
    return await make.call(tenant, agent, snapshot=snapshot)


@pytest_asyncio.fixture
async def job(server: RunningServer, make: Factories) -> AsyncIterator[Job]:
    """A call in progress on a worker job whose agent has greeted the caller."""
    call = await _ringing_call(make, await _clinic(make))
    bus = SlowBus()
    ready: asyncio.Future[PreparedCall] = asyncio.get_running_loop().create_future()
    async with (
        httpx.AsyncClient() as http,
        contextlib.aclosing(LiveKitRooms(server.settings)) as rooms,
    ):
        deps = WorkerDeps(
            settings=server.settings,
            bus=bus,
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
            # the greeting reaches the record and the bus: the call is really under way, and
            # nothing is left in flight to reach a subscriber who comes later
            await eventually(
                lambda: CallEventType.TRANSCRIPT_SEGMENT in [e.type for e in bus.published],
                what="the greeting is published",
            )
            assert await _has_transcript(call.id)
            assert (await Call.get(id=call.id)).status == "in_progress"
            yield Job(call, context, prepared, bus)
            await prepared.session.aclose()


async def _has_transcript(call_id: uuid.UUID) -> bool:
    return await CallEvent.filter(call_id=call_id, type=CallEventType.TRANSCRIPT_SEGMENT).exists()


def _tasks_started_on_close(session: AgentSession) -> set[asyncio.Task[None]]:
    """The tasks the worker starts when the session closes, once it has: worker.entrypoint
    handles `close` in a task started from LiveKit's synchronous callback (and held in its
    `_background`). Handlers run in the order they were registered, so when this one runs
    the worker's has started its task."""
    before = set(entrypoint._background)
    started: set[asyncio.Task[None]] = set()
    session.on("close", lambda event: started.update(entrypoint._background - before))
    return started


async def _run_shutdown_callbacks(context: JobContext, reason: str) -> None:
    """What LiveKit's job process does last: every shutdown callback, concurrently."""
    await asyncio.gather(*(callback(reason) for callback in context._shutdown_callbacks))


async def _timeline(call_id: uuid.UUID) -> list[tuple[str, dict]]:
    rows = await CallEvent.filter(call_id=call_id).order_by("seq")
    assert [row.seq for row in rows] == list(range(1, len(rows) + 1))
    return [(row.type, row.data) for row in rows]


async def test_a_job_shut_down_under_a_call_ends_it_with_a_reason(job: Job):
    # given a call in progress, watched live
    closing = _tasks_started_on_close(job.prepared.session)
    async with job.bus.subscription(call_channel(job.call.id)) as watcher:
        # when the job shuts down (the room went away) and its shutdown callbacks run
        await _run_shutdown_callbacks(job.context, "room deleted")

        # then the call is over, with the reason, the time and the charge
        call = await Call.get(id=job.call.id)
        assert call.status == "completed"
        assert call.ended_reason == "room_closed"
        assert call.ended_at is not None and call.duration_seconds is not None
        assert await CreditLedgerEntry.filter(reference=f"call:{call.id}").count() == 1
        # and the record ends with it, after the transcript so far
        timeline = await _timeline(call.id)
        assert timeline[-2] == (
            CallEventType.STATUS_CHANGED,
            {"from": "in_progress", "to": "completed", "source": "worker", "reason": "room_closed"},
        )
        assert timeline[-1][0] == CallEventType.ENDED
        assert timeline[-1][1]["reason"] == "room_closed"
        assert (
            CallEventType.TRANSCRIPT_SEGMENT,
            {"speaker": "agent", "text": GREETING},
        ) in timeline
        # and subscribers were told
        published = [await watcher.get(timeout=DEADLINE) for _ in range(2)]
        assert TIMED_OUT not in published
        assert [e.type for e in published] == [CallEventType.STATUS_CHANGED, CallEventType.ENDED]  # type: ignore[union-attr]

    # when the session closes (its "close" would say the caller hung up): LiveKit's own
    # shutdown callback closes the primary session; closing it again changes nothing
    await job.prepared.session.aclose()
    assert closing, "the session closed without the worker handling it"
    await asyncio.wait(closing, timeout=DEADLINE)
    assert all(task.done() for task in closing)

    # then nothing changes: one ending, published once, one charge
    assert [e.type for e in job.bus.published].count(CallEventType.ENDED) == 1
    after = await Call.get(id=job.call.id)
    assert after.ended_reason == "room_closed"
    assert await CallEvent.filter(call_id=job.call.id, type=CallEventType.ENDED).count() == 1
    assert await CreditLedgerEntry.filter(reference=f"call:{after.id}").count() == 1


async def test_livekits_whole_shutdown_sequence_ends_the_call_once(job: Job):
    # when LiveKit shuts the job down: the primary session is closed, then the callbacks run
    assert job.context._primary_agent_session is job.prepared.session
    await job.context._primary_agent_session.aclose()
    await _run_shutdown_callbacks(job.context, "job shutdown")

    # then, by the time the callbacks return (when LiveKit lets the job process exit), the
    # ending is published, and recorded exactly once, with one of the two reasons that raced
    published = [event.type for event in job.bus.published]
    assert published[-2:] == [CallEventType.STATUS_CHANGED, CallEventType.ENDED], published
    call = await Call.get(id=job.call.id)
    assert call.status == "completed"
    assert call.ended_reason in ("caller_hung_up", "room_closed")
    timeline = await _timeline(call.id)
    assert [kind for kind, _ in timeline].count(CallEventType.ENDED) == 1
    assert timeline[-1] == (
        CallEventType.ENDED,
        {
            "status": "completed",
            "reason": call.ended_reason,
            "duration_seconds": call.duration_seconds,
        },
    )
    assert await CreditLedgerEntry.filter(reference=f"call:{call.id}").count() == 1


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
