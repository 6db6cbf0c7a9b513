"""An outgoing call run by the worker's entrypoint against the fake LiveKit.

The call is recorded and its room created as `callCreate` leaves them; the job then runs
in-process under `fake_job_context` with a scripted model (as tests/e2e does), with the
LiveKit client pointed at the fake, whose callee behaves as the test scripts it.
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
from livekit.agents.testing import fake_job_context

from core.call_events import CallStatus
from core.call_snapshot import CallSnapshot
from core.events import InProcessBus
from core.integrations.livekit_rooms import LiveKitRooms
from core.services.calls import room_name
from core.settings import Settings
from orm.models import Call
from tests.fakes.livekit import FakeLiveKit
from tests.support.factories import Factories, Tenant
from tests.support.scripted_llm import ScriptedLLM
from tests.support.telephony import telephony_settings
from tests.support.waiting import DEADLINE
from worker.entrypoint import run_job
from worker.session import PreparedCall, WorkerDeps

AGENT_NUMBER = "+14155550100"
CALLEE = "+14155550142"
GREETING = "Hi, this is Ada from Bright Smile Dental, calling about your appointment."


@dataclass
class OutboundJob:
    call: Call
    tenant: Tenant
    settings: Settings
    model: ScriptedLLM
    ready: asyncio.Future[PreparedCall]
    job: asyncio.Task[None]

    async def prepared(self) -> PreparedCall:
        return await asyncio.wait_for(asyncio.shield(self.ready), DEADLINE)

    async def finished(self) -> None:
        """The job's entrypoint returned (a call that was not answered ends there)."""
        await asyncio.wait_for(asyncio.shield(self.job), DEADLINE)

    async def record(self) -> Call:
        return await Call.get(id=self.call.id)


async def outbound_call(make: Factories, tenant: Tenant, settings: Settings) -> Call:
    """A call the agent places, ringing, with its room opened (as `callCreate` leaves it)."""
    agent = await make.agent(
        tenant, name="Ada", system_prompt="You remind patients of visits.", greeting=GREETING
    )
    call_id = uuid.uuid4()
    call = await Call.create(
        id=call_id,
        organization_id=tenant.organization_uuid,
        agent=agent,
        direction="outbound",
        from_number=AGENT_NUMBER,
        to_number=CALLEE,
        status=CallStatus.RINGING.value,
        snapshot=(await CallSnapshot.of_agent(agent)).as_stored(),
        livekit_room=room_name(call_id),
    )
    async with contextlib.aclosing(LiveKitRooms(settings)) as rooms:
        await rooms.create_room(
            name=room_name(call_id),
            metadata={"call_id": str(call_id), "organization_id": str(tenant.organization_uuid)},
            max_duration=1800,
        )
    return call


@contextlib.asynccontextmanager
async def outbound_job(
    base: Settings,
    make: Factories,
    livekit: FakeLiveKit,
    *,
    script: list[Any] | None = None,
    **overrides: Any,
) -> AsyncIterator[OutboundJob]:
    """The worker's job for a new outgoing call, started (it dials at once)."""
    settings = telephony_settings(
        base, livekit, **{"outbound_greeting_silence_seconds": 30.0, **overrides}
    )
    tenant = await make.tenant("Bright Smile Dental", balance=1000)
    call = await outbound_call(make, tenant, settings)
    model = ScriptedLLM(script if script is not None else [GREETING])
    ready: asyncio.Future[PreparedCall] = asyncio.get_running_loop().create_future()
    async with (
        httpx.AsyncClient() as http,
        contextlib.aclosing(LiveKitRooms(settings)) as rooms,
    ):
        deps = WorkerDeps(
            settings=settings,
            bus=InProcessBus(),
            rooms=rooms,
            model_factory=lambda snapshot, s: model,
            http=http,
            specs={},
            manage_database=False,
            use_room=False,
            on_ready=lambda prepared: ready.set_result(prepared),
        )
        with fake_job_context(job_metadata=json.dumps({"call_id": str(call.id)})) as context:
            job = asyncio.ensure_future(run_job(context, lambda: deps))
            try:
                yield OutboundJob(call, tenant, settings, model, ready, job)
            finally:
                if ready.done() and not ready.cancelled():
                    await ready.result().session.aclose()
                if not job.done():
                    job.cancel()
                with contextlib.suppress(BaseException):
                    await job
