"""An outgoing call run by the worker's entrypoint against the fake LiveKit.

The call is recorded and its room created as `callCreate` leaves them; the job then runs
in-process (tests/support/worker_job.py) with a scripted model, with the LiveKit client
pointed at the fake, whose callee behaves as the test scripts it.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from core.call_events import CallStatus
from core.call_snapshot import CallSnapshot
from core.integrations.livekit_rooms import LiveKitRooms
from core.services.calls import room_name
from core.settings import Settings
from orm.models import Call
from tests.fakes.livekit import FakeLiveKit
from tests.support.factories import Factories, Tenant
from tests.support.scripted_llm import ScriptedLLM
from tests.support.telephony import telephony_settings
from tests.support.worker_job import RunningJob, running_job
from worker.session import PreparedCall

AGENT_NUMBER = "+14155550100"
CALLEE = "+14155550142"
GREETING = "Hi, this is Ada from Bright Smile Dental, calling about your appointment."


@dataclass
class OutboundJob:
    call: Call
    tenant: Tenant
    settings: Settings
    model: ScriptedLLM
    running: RunningJob

    @property
    def ready(self) -> asyncio.Future[PreparedCall]:
        """Done once the session runs: never, for a call nobody answered."""
        return self.running.ready

    async def prepared(self) -> PreparedCall:
        return await self.running.prepared()

    async def finished(self) -> None:
        """The job's entrypoint returned (a call that was not answered ends there)."""
        await self.running.finished()

    async def record(self) -> Call:
        return await Call.get(id=self.call.id)


async def outbound_call(
    make: Factories, tenant: Tenant, settings: Settings, **agent_fields: Any
) -> Call:
    """A call the agent places, ringing, with its room opened (as `callCreate` leaves it);
    `agent_fields` add to or replace the agent's."""
    agent = await make.agent(
        tenant,
        **{
            "name": "Ada",
            "system_prompt": "You remind patients of visits.",
            "greeting": GREETING,
            **agent_fields,
        },
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
    agent: dict[str, Any] | None = None,
    **overrides: Any,
) -> AsyncIterator[OutboundJob]:
    """The worker's job for a new outgoing call, started (it dials at once); `agent` holds
    fields of the calling agent, `overrides` settings."""
    settings = telephony_settings(
        base, livekit, **{"outbound_greeting_silence_seconds": 30.0, **overrides}
    )
    tenant = await make.tenant("Bright Smile Dental", balance=1000)
    call = await outbound_call(make, tenant, settings, **(agent or {}))
    model = ScriptedLLM(script if script is not None else [GREETING])
    async with running_job(settings, call_id=call.id, model=model) as running:
        yield OutboundJob(call, tenant, settings, model, running)
