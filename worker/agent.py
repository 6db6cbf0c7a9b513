"""The agent of one call, built from the call's snapshot (never the live agent row)."""

from __future__ import annotations

import asyncio
from typing import Any

from livekit.agents import Agent

from core.call_snapshot import CallSnapshot
from worker.outbound import callee_first_instructions, greet_after_silence

GREETING_INSTRUCTIONS = "Greet the caller now by saying exactly this, and nothing else: {greeting}"
DEFAULT_GREETING_INSTRUCTIONS = "Greet the caller briefly and ask how you can help."


class CallAgent(Agent):
    def __init__(
        self,
        *,
        snapshot: CallSnapshot,
        tools: list[Any],
        callee_speaks_first: bool = False,
        greeting_silence_seconds: float = 0.0,
        instructions: str | None = None,
    ) -> None:
        greeting = snapshot.greeting.strip()
        # The snapshot's prompt, as the call's model needs it (worker/model_factory.py).
        instructions = snapshot.system_prompt if instructions is None else instructions
        if callee_speaks_first:
            instructions += callee_first_instructions(greeting)
        super().__init__(instructions=instructions, tools=tools)
        self.greeting = greeting
        self.callee_speaks_first = callee_speaks_first
        self.greeting_silence_seconds = greeting_silence_seconds
        self._greeter: asyncio.Task[None] | None = None

    async def on_enter(self) -> None:
        instructions = (
            GREETING_INSTRUCTIONS.format(greeting=self.greeting)
            if self.greeting
            else DEFAULT_GREETING_INSTRUCTIONS
        )
        if self.callee_speaks_first:
            # We phoned them: they say "Hello?" first; greet only into a silent line.
            self._greeter = greet_after_silence(
                self.session,
                instructions=instructions,
                silence_seconds=self.greeting_silence_seconds,
            )
            return
        # Speak first: the caller should not have to say hello to a silent line.
        self.session.generate_reply(instructions=instructions)
