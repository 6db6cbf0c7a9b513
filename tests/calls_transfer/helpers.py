"""A call's worker for transfer tests: the real session, tools and record, text only.

The worker is the production code from `prepare_call` on (the agent, its controls, the
recorder, LiveKitRooms over HTTP to the fake LiveKit); only the room's media is left out,
so the caller's SIP identity is given, and the model is a scripted one.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from core.call_events import CallStatus
from core.events import EventBus
from core.settings import Settings
from orm.models import CallEvent
from tests.support.calls import CALLER_IDENTITY
from tests.support.scripted_llm import ScriptedLLM
from tests.support.waiting import eventually
from tests.support.worker_job import worker_deps
from worker.session import PreparedCall, prepare_call

HUMAN = "+14155550199"
GREETING = "Hello, Bright Smile Dental, how can I help?"


@dataclass
class RunningCall:
    prepared: PreparedCall
    hung_up: list[str | None] = field(default_factory=list)

    async def says(self, text: str) -> Any:
        """The caller says `text`; the agent's turn (its tool calls included) runs out."""
        result = await self.prepared.session.run(user_input=text)
        await self.prepared.recorder.flush()
        return result


@contextlib.asynccontextmanager
async def worker_on(
    call_id: uuid.UUID,
    settings: Settings,
    model: ScriptedLLM,
    *,
    bus: EventBus | None = None,
    briefing_model: ScriptedLLM | None = None,
    on_briefing: Callable[[Any], Awaitable[None] | None] | None = None,
) -> AsyncIterator[RunningCall]:
    """The call's job: prepared, started (the greeting said) and in progress. The call's
    session talks with `model`; a warm transfer's briefing with `briefing_model`."""
    hung_up: list[str | None] = []
    models = iter([model, *([briefing_model] if briefing_model else [])])

    async def hang_up(room: str | None) -> None:
        hung_up.append(room)

    async with worker_deps(
        settings,
        lambda snapshot, s: next(models),
        bus=bus,  # the recorder publishes nowhere without one
        on_briefing=on_briefing,
    ) as deps:
        prepared = await prepare_call(
            call_id=call_id, deps=deps, hang_up=hang_up, caller_identity=lambda: CALLER_IDENTITY
        )
        assert prepared is not None
        async with prepared.session:
            await prepared.session.start(prepared.agent)
            await prepared.recorder.status(CallStatus.IN_PROGRESS)
            yield RunningCall(prepared, hung_up)
            await prepared.recorder.flush()


async def timeline(call_id: uuid.UUID) -> list[tuple[str, dict[str, Any]]]:
    """(type, data) of the call's events, in order."""
    rows = await CallEvent.filter(call_id=call_id).order_by("seq")
    return [(row.type, row.data) for row in rows]


async def transfer_events(call_id: uuid.UUID) -> list[tuple[str, dict[str, Any]]]:
    return [(kind, data) for kind, data in await timeline(call_id) if "transfer" in kind]


def person_says(text: str) -> Callable[[Any], Awaitable[None]]:
    """The person a warm transfer calls: listens to the briefing, then answers `text`."""

    async def person(briefing: Any) -> None:
        await eventually(
            lambda: any(
                getattr(item, "role", None) == "assistant" for item in briefing.history.items
            ),
            what="the agent briefed the person",
        )
        await briefing.run(user_input=text)

    return person


def tool_outputs(result: Any) -> list[tuple[str, bool]]:
    """(output, is_error) of the function calls of an agent's turn."""
    return [
        (event.item.output, event.item.is_error)
        for event in result.events
        if getattr(event, "type", None) == "function_call_output"
    ]
