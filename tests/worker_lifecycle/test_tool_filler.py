"""A tool that takes long has the agent say a short filler phrase, not leave silence.

The call runs with a scripted model (tests/support/scripted_llm.py); the tool is one the
test holds until it has heard (or not heard) the filler. Without audio output the
session speaks the phrase as text, which reaches the transcript like any agent line.
"""

from __future__ import annotations

import asyncio

from livekit.agents import Agent, AgentSession, function_tool

from core.call_events import CallEventType
from orm.models import CallEvent
from tests.support.factories import Factories
from tests.support.scripted_llm import ScriptedLLM
from tests.support.waiting import DEADLINE, eventually
from worker.recorder import CallRecorder
from worker.tool_guard import guard

FILLER = "One moment, please."
ANSWER = "Monday is free."


def _calendar(release: asyncio.Event):  # type: ignore[no-untyped-def]
    @function_tool
    async def check_availability(day: str) -> str:
        """Check whether a day is free in the calendar.

        Args:
            day: The day to check.
        """
        await release.wait()  # the calendar's backend answers when the test says so
        return f"{day} is free"

    return check_availability


async def _recorder(make: Factories) -> CallRecorder:
    tenant = await make.tenant()
    call = await make.call(tenant, await make.agent(tenant))
    return CallRecorder(call_id=call.id, bus=None)


async def test_a_tool_still_running_after_the_delay_has_the_agent_say_the_filler(
    server, make: Factories
):
    # given a calendar tool whose backend has not answered yet, and a filler after 50 ms
    release = asyncio.Event()
    recorder = await _recorder(make)
    tool = guard(
        _calendar(release),
        timeout=DEADLINE,
        recorder=recorder,
        filler_phrase=FILLER,
        filler_delay=0.05,
    )
    model = ScriptedLLM([[("check_availability", {"day": "Monday"})], ANSWER])
    spoken: list[str] = []
    async with AgentSession(llm=model) as session:
        session.on(
            "conversation_item_added",
            lambda event: (
                spoken.append(event.item.text_content)
                if getattr(event.item, "role", None) == "assistant"
                else None
            ),
        )
        await session.start(Agent(instructions="You book visits.", tools=[tool]))

        # when the caller asks and the tool is still running
        asking = asyncio.ensure_future(session.run(user_input="Is Monday free?"))
        await eventually(lambda: FILLER in spoken, what="the filler is spoken")
        # the tool is still waiting on its backend when the filler plays
        assert not release.is_set()
        release.set()
        result = await asyncio.wait_for(asking, DEADLINE)

    # then the caller heard the filler, then the answer; the model was asked only for the
    # answer (the phrase is the worker's own, not a model turn)
    assert spoken == [FILLER, ANSWER]
    assert len(model.requests) == 2
    result.expect.contains_function_call(name="check_availability")
    # and the tool call is recorded as usual
    invoked = await CallEvent.filter(
        call_id=recorder.call_id, type=CallEventType.TOOL_INVOKED
    ).first()
    assert invoked is not None and invoked.data["outcome"] == "ok"


async def test_a_tool_that_answers_quickly_is_not_covered_by_a_filler(server, make: Factories):
    # given a calendar tool that answers at once, and the default filler delay
    release = asyncio.Event()
    release.set()
    tool = guard(
        _calendar(release),
        timeout=DEADLINE,
        recorder=await _recorder(make),
        filler_phrase=FILLER,
        filler_delay=1.5,
    )
    model = ScriptedLLM([[("check_availability", {"day": "Monday"})], ANSWER])
    async with AgentSession(llm=model) as session:
        await session.start(Agent(instructions="You book visits.", tools=[tool]))

        # when the caller asks
        result = await asyncio.wait_for(session.run(user_input="Is Monday free?"), DEADLINE)

    # then only the answer is spoken: the filler's delay never ran out
    result.expect.next_event().is_function_call(name="check_availability")
    result.expect.next_event().is_function_call_output(output="Monday is free")
    result.expect.next_event().is_message(role="assistant")
    result.expect.no_more_events()
