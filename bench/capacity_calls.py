"""The load test's calls: simulated calls recorded and published as the worker does it.

Run as its own process (`python -m bench.capacity_calls '<json settings>'`), in place of
the worker, with the worker's environment (DATABASE_URL as the application role,
REDIS_URL). Each of `slots` call slots places calls one after another until `seconds` have
passed: a call rings through `calls.start_inbound` (what the Twilio webhook does; the
LiveKit room is left out, see NoRooms), is answered and talked through by the worker's own
`CallRecorder` (transcript turns every few seconds, alternating caller and agent, now and
then a tool call), and is completed by it. Every write goes through `core.services.calls`,
every event is published on the Redis bus. When the time is up the calls under way end at
once, so that every event the run recorded can be checked for delivery.

It prints one JSON line: what it did, and the errors it saw (the recorder logs a failed
write and carries on, as a worker must; the load test fails on any).
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import sys
import time
import uuid
from dataclasses import asdict, dataclass, field
from typing import Any

from core.call_events import CallStatus, Speaker, ToolOutcome
from core.events import EventBus, build_bus
from core.services import calls
from core.settings import Settings, get_settings
from worker.recorder import CallRecorder

# What callers and agents say: the length of real turns (40-160 characters).
TURNS = (
    "Hi, I'd like to book a cleaning for next week if you have anything.",
    "Of course. Which day suits you best, and do you prefer mornings or afternoons?",
    "Tuesday afternoon would be ideal, maybe around three.",
    "Let me check the calendar for Tuesday afternoon.",
    "Also, is Dr. Meyer still at the practice? I saw her last time.",
    "Yes, she is. I have three fifteen on Tuesday with Dr. Meyer; shall I book it?",
    "Perfect, please do. My name is Alex Moreau, M-O-R-E-A-U.",
    "Done: Tuesday at three fifteen with Dr. Meyer. You'll get a text to confirm.",
)


@dataclass(frozen=True)
class CallPlan:
    """How the simulated calls behave (seconds)."""

    slots: int
    seconds: float
    ring: tuple[float, float] = (1.0, 2.0)
    turn_gap: tuple[float, float] = (3.0, 5.0)
    length: tuple[float, float] = (40.0, 80.0)
    tool_chance: float = 0.1
    # Slots start spread over this long, so that calls do not all ring at once.
    ramp: float = 10.0


@dataclass
class Outcome:
    calls_started: int = 0
    calls_completed: int = 0
    turns: int = 0
    tool_calls: int = 0
    # Statements Tortoise sent (its `tortoise.db_client` log; the scope's set_config calls
    # go to the driver and are not in it).
    statements: int = 0
    # This process's CPU time over the calls (its start-up left out).
    cpu_seconds: float = 0.0
    errors: list[str] = field(default_factory=list)
    started_at: float = 0.0  # wall clock (time.time()) of the first call
    finished_at: float = 0.0  # ... and of the last ending recorded


class NoRooms:
    """The room service of a load test: no media server. Creating a call's room is an HTTP
    request to LiveKit, not a write or a publish; the rest of `start_inbound` is kept."""

    async def create_room(self, *, name: str, metadata: dict[str, Any], max_duration: int) -> None:
        return None


class _StatementCounter(logging.Handler):
    def __init__(self, outcome: Outcome) -> None:
        super().__init__(logging.DEBUG)
        self.outcome = outcome

    def emit(self, record: logging.LogRecord) -> None:
        self.outcome.statements += 1


class _ErrorCounter(logging.Handler):
    """The recorder logs a write it could not make and goes on: the load test counts them."""

    def __init__(self, outcome: Outcome) -> None:
        super().__init__(logging.ERROR)
        self.outcome = outcome

    def emit(self, record: logging.LogRecord) -> None:
        self.outcome.errors.append(f"{record.name}: {record.getMessage()}")


async def run(*, plan: CallPlan, organization_id: uuid.UUID, phone: str) -> Outcome:
    from tortoise import Tortoise

    from core import tenancy
    from orm.config import tortoise_config

    settings = get_settings()
    outcome = Outcome()
    logging.getLogger().addHandler(_ErrorCounter(outcome))
    statements = logging.getLogger("tortoise.db_client")
    statements.addHandler(_StatementCounter(outcome))
    statements.setLevel(logging.DEBUG)
    statements.propagate = False
    await Tortoise.init(config=tortoise_config(settings.database_url))
    bus = build_bus(settings)
    deadline = time.monotonic() + plan.seconds
    outcome.started_at = time.time()
    cpu_before = time.process_time()
    try:
        # A worker's job works in its call's organization only (core/tenancy.py).
        with tenancy.tenant_scope([organization_id]):
            await asyncio.gather(
                *(
                    _slot(index, plan, deadline, phone, settings, bus, outcome)
                    for index in range(plan.slots)
                )
            )
    finally:
        outcome.finished_at = time.time()
        outcome.cpu_seconds = time.process_time() - cpu_before
        await bus.close()
        await Tortoise.close_connections()
    return outcome


async def _slot(
    index: int,
    plan: CallPlan,
    deadline: float,
    phone: str,
    settings: Settings,
    bus: EventBus,
    outcome: Outcome,
) -> None:
    rng = random.Random(index)
    await asyncio.sleep(plan.ramp * index / max(plan.slots, 1))
    while time.monotonic() < deadline:
        try:
            await _call(rng, plan, deadline, phone, settings, bus, outcome)
        except Exception as failure:  # counted, and the slot places its next call
            outcome.errors.append(f"call failed: {failure!r}")


async def _call(
    rng: random.Random,
    plan: CallPlan,
    deadline: float,
    phone: str,
    settings: Settings,
    bus: EventBus,
    outcome: Outcome,
) -> None:
    decision = await calls.start_inbound(
        twilio_call_sid=f"CA{uuid.uuid4().hex}",
        from_number=f"+1415555{rng.randrange(10_000):04d}",
        to_number=phone,
        rooms=NoRooms(),  # type: ignore[arg-type]
        settings=settings,
        bus=bus,
    )
    if decision.room is None:
        outcome.errors.append(f"call refused: {decision.call.ended_reason}")
        return
    outcome.calls_started += 1
    recorder = CallRecorder(call_id=decision.call.id, bus=bus)
    ends = min(deadline, time.monotonic() + rng.uniform(*plan.length))
    await _sleep_until(min(ends, time.monotonic() + rng.uniform(*plan.ring)))
    await recorder.status(CallStatus.IN_PROGRESS)
    speakers = (Speaker.CALLER, Speaker.AGENT)
    turn = 0
    while (next_turn := time.monotonic() + rng.uniform(*plan.turn_gap)) < ends:
        await _sleep_until(next_turn)
        await recorder.transcript(speaker=speakers[turn % 2], text=TURNS[turn % len(TURNS)])
        outcome.turns += 1
        turn += 1
        if rng.random() < plan.tool_chance:
            await recorder.tool_invoked(
                function="check_availability",
                arguments={"date": "2026-12-01", "time_of_day": "afternoon"},
                outcome=ToolOutcome.OK,
                latency_ms=rng.randrange(80, 900),
            )
            outcome.tool_calls += 1
    await _sleep_until(ends)
    await recorder.status(CallStatus.COMPLETED, reason="agent_ended")
    outcome.calls_completed += 1


async def _sleep_until(moment: float) -> None:
    """Sleep until `moment` (time.monotonic())."""
    await asyncio.sleep(max(0.0, moment - time.monotonic()))


def main() -> None:
    options = json.loads(sys.argv[1])
    given = options["plan"]
    plan = CallPlan(
        slots=int(given["slots"]),
        seconds=float(given["seconds"]),
        ring=tuple(given["ring"]),
        turn_gap=tuple(given["turn_gap"]),
        length=tuple(given["length"]),
        tool_chance=float(given["tool_chance"]),
        ramp=float(given["ramp"]),
    )
    outcome = asyncio.run(
        run(
            plan=plan,
            organization_id=uuid.UUID(options["organization_id"]),
            phone=options["phone"],
        )
    )
    print(json.dumps(asdict(outcome)), flush=True)


if __name__ == "__main__":
    main()
