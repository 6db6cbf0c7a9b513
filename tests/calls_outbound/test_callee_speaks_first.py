"""On an outgoing call the callee speaks first: the agent answers their "Hello?" with its
greeting, and greets on its own only when the line stays silent."""

from __future__ import annotations

from tests.calls_outbound.helpers import CALLEE, GREETING, outbound_job
from tests.support.waiting import eventually


def _said(session) -> list[tuple[str, str]]:
    return [
        (item.role, item.text_content)
        for item in session.history.items
        if getattr(item, "role", None) in ("user", "assistant") and item.text_content
    ]


async def test_the_agent_answers_the_callees_hello_with_its_greeting(server, make, livekit):
    # given a call the callee answered (the agent would wait 30 s of silence to greet)
    async with outbound_job(server.settings, make, livekit) as job:
        prepared = await job.prepared()

        # when the callee says hello
        await prepared.session.run(user_input="Hello?")

        # then the agent's first words follow theirs, and are its greeting
        assert _said(prepared.session) == [("user", "Hello?"), ("assistant", GREETING)]
        [first_request] = job.model.requests
        assert first_request.items[-1].role == "user"
        # told to greet on the callee's first words, since it placed the call
        instructions = first_request.items[0].text_content
        assert "outgoing call" in instructions and GREETING in instructions


async def test_the_agent_greets_a_silent_line_after_a_pause(server, make, livekit):
    # given an agent that waits a moment of silence before greeting
    async with outbound_job(
        server.settings, make, livekit, outbound_greeting_silence_seconds=0.2
    ) as job:
        prepared = await job.prepared()

        # when the callee says nothing, then the agent greets
        await eventually(
            lambda: _said(prepared.session) == [("assistant", GREETING)],
            what="the agent greets the silent line",
        )
        [request] = job.model.requests
        assert request.items[-1].role == "system"  # the greeting instruction, no user turn
        assert GREETING in (request.items[-1].text_content or "")
    assert job.call.to_number == CALLEE
