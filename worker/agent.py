"""The agent of one call, built from the call's snapshot (never the live agent row)."""

from __future__ import annotations

from typing import Any

from livekit.agents import Agent

from core.call_snapshot import CallSnapshot

GREETING_INSTRUCTIONS = "Greet the caller now by saying exactly this, and nothing else: {greeting}"
DEFAULT_GREETING_INSTRUCTIONS = "Greet the caller briefly and ask how you can help."


class CallAgent(Agent):
    def __init__(self, *, snapshot: CallSnapshot, tools: list[Any]) -> None:
        super().__init__(instructions=snapshot.system_prompt, tools=tools)
        self.greeting = snapshot.greeting.strip()

    async def on_enter(self) -> None:
        # Speak first: the caller should not have to say hello to a silent line.
        instructions = (
            GREETING_INSTRUCTIONS.format(greeting=self.greeting)
            if self.greeting
            else DEFAULT_GREETING_INSTRUCTIONS
        )
        self.session.generate_reply(instructions=instructions)
