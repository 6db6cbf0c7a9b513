"""The worker's balance watch: a call whose credit runs out is ended gracefully, after the
agent told the caller why; a call with credit to spare runs on."""

from __future__ import annotations

import asyncio
import json
from contextlib import asynccontextmanager

import httpx
from livekit.agents.testing import fake_job_context
from livekit.agents.voice.events import CloseReason

from core.events import InProcessBus
from core.integrations.livekit_rooms import LiveKitRooms
from core.services import metering
from core.services.calls import room_name
from orm.models import Call, CallEvent
from tests.billing_metering.helpers import balance, charges_of
from tests.fakes.livekit import FakeLiveKit
from tests.support.scripted_llm import ScriptedLLM
from tests.support.waiting import eventually
from worker.entrypoint import CREDITS_EXHAUSTED_INSTRUCTIONS, run_job
from worker.session import PreparedCall, WorkerDeps

GREETING = "Hello, Metered Plumbing, this is Ada."
APOLOGY = (
    "I'm so sorry, the account's call credit has run out, so I have to end the call now. "
    "You're welcome to call back later. Goodbye!"
)
# Short, so the tests do not wait long for the checks they count.
CHECK_INTERVAL = 0.05


class BalanceChecks:
    """Counts the watch's balance checks. The product has no hook for them: every check that
    finds the call still running asks whether the credit covers it
    (`core.services.metering.credits_cover`), so that is where they are counted. When check
    n + 1 starts, check n has decided to let the call run on."""

    def __init__(self, monkeypatch) -> None:
        self.started = 0
        credits_cover = metering.credits_cover

        async def counted(*args, **kwargs):
            self.started += 1
            return await credits_cover(*args, **kwargs)

        monkeypatch.setattr(metering, "credits_cover", counted)


async def _ringing_call(make, tenant) -> Call:
    """A ringing call to Ada, in its LiveKit room, as the voice webhook opens it."""
    agent = await make.agent(
        tenant, name="Ada", system_prompt="You book plumbers.", greeting=GREETING
    )
    call = await make.call(tenant, agent)
    call.livekit_room = room_name(call.id)
    await call.save(update_fields=["livekit_room"])
    return call


@asynccontextmanager
async def _worker(server, livekit: FakeLiveKit, model: ScriptedLLM):
    """Deps for run_job with a fast balance check; yields (deps, prepared-call future)."""
    settings = server.settings.model_copy(
        update={"credit_check_interval_seconds": CHECK_INTERVAL, **livekit.settings_overrides()}
    )
    ready: asyncio.Future[PreparedCall] = asyncio.get_running_loop().create_future()
    deps = WorkerDeps(
        settings=settings,
        bus=InProcessBus(),
        rooms=LiveKitRooms(settings),
        model_factory=lambda snapshot, s: model,
        http=httpx.AsyncClient(),
        specs={},
        manage_database=False,
        use_room=False,
        on_ready=lambda prepared: ready.set_result(prepared),
    )
    try:
        yield deps, ready
    finally:
        if ready.done():
            await ready.result().session.aclose()
        await deps.http.aclose()
        await deps.rooms.aclose()
        await deps.bus.close()


async def _is_completed(call: Call) -> bool:
    return (await Call.get(id=call.id)).status == "completed"


def _said_to_model(request) -> str:
    return json.dumps(request.to_dict(exclude_timestamp=True))


async def test_a_call_whose_credit_runs_out_is_ended_after_the_caller_heard_why(
    server, make, livekit, monkeypatch
):
    # given: an organization with 5 credits, less than one minute at 10 credits/min
    tenant = await make.tenant("Metered Plumbing", balance=5)
    call = await _ringing_call(make, tenant)
    checks = BalanceChecks(monkeypatch)
    model = ScriptedLLM([GREETING, APOLOGY])
    async with _worker(server, livekit, model) as (deps, _):
        # when: the worker takes the call
        with fake_job_context(job_metadata=json.dumps({"call_id": str(call.id)})) as job:
            await run_job(job, lambda: deps)
            # (the worker hangs up, deleting the room, once the call is recorded ended)
            await eventually(lambda: livekit.requests_for("DeleteRoom"), what="the worker hung up")

        # then: the call was ended because the credit ran out, at the first check
        ended = await Call.get(id=call.id)
        assert ended.status == "completed"
        assert ended.ended_reason == "credits_exhausted"
        assert checks.started == 1
        # and the model was asked to explain it to the caller
        assert len(model.requests) == 2
        assert CREDITS_EXHAUSTED_INSTRUCTIONS in _said_to_model(model.requests[-1])
        assert CREDITS_EXHAUSTED_INSTRUCTIONS not in _said_to_model(model.requests[0])
        # and the record has the apology before the end
        rows = await CallEvent.filter(call_id=call.id).order_by("seq")
        timeline = [(row.type, row.data) for row in rows]
        transcript = [data for kind, data in timeline if kind == "call.transcript"]
        assert transcript == [
            {"speaker": "agent", "text": GREETING},
            {"speaker": "agent", "text": APOLOGY},
        ]
        apology_at = next(
            row.seq for row in rows if row.type == "call.transcript" and row.data["text"] == APOLOGY
        )
        completed_at = next(
            row.seq
            for row in rows
            if row.type == "call.status_changed" and row.data["to"] == "completed"
        )
        assert apology_at < completed_at
        assert timeline[-1][0] == "call.ended"
        assert timeline[-1][1]["reason"] == "credits_exhausted"
        # and the worker hung up by deleting the call's room, once
        assert [r.message.room for r in livekit.requests_for("DeleteRoom")] == [room_name(call.id)]
        # and the call was charged, once (one started minute; the balance may go below zero)
        [charge] = await charges_of(call)
        assert charge.amount == -10
        assert await balance(tenant) == -5


async def test_a_call_with_credit_to_spare_is_not_ended_by_the_watch(
    server, make, livekit, monkeypatch
):
    # given: plenty of credit
    tenant = await make.tenant("Metered Plumbing", balance=10_000)
    call = await _ringing_call(make, tenant)
    checks = BalanceChecks(monkeypatch)
    model = ScriptedLLM([GREETING])
    async with _worker(server, livekit, model) as (deps, ready):
        # when: the call runs through five balance checks (the sixth has started)
        with fake_job_context(job_metadata=json.dumps({"call_id": str(call.id)})) as job:
            await run_job(job, lambda: deps)
            await eventually(lambda: checks.started >= 6, what="five balance checks passed")
            running = await Call.get(id=call.id)

            # then: it is still in progress, with no apology asked for and no hang-up
            assert running.status == "in_progress" and running.ended_reason is None
            assert len(model.requests) == 1
            assert not any(
                CREDITS_EXHAUSTED_INSTRUCTIONS in _said_to_model(r) for r in model.requests
            )
            assert livekit.requests_for("DeleteRoom", accepted_only=False) == []
            assert await charges_of(call) == []

            # when the caller hangs up (RoomIO closes the session: its participant left)
            (await ready).session._close_soon(reason=CloseReason.PARTICIPANT_DISCONNECTED)
            await eventually(lambda: _is_completed(call), what="the call is recorded completed")

        # then: the call ends as the caller's hang-up, charged once
        ended = await Call.get(id=call.id)
        assert ended.ended_reason == "caller_hung_up"
        assert [c.amount for c in await charges_of(call)] == [-10]
