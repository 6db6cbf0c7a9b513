"""A scripted LLM for offline AgentSession tests (../shared/scripted_llm_example.py).

Each chat() pops the next scripted turn: a str (a text reply) or a list of
(tool_name, arguments) tuples (function calls).
"""

from __future__ import annotations

import json
from collections import deque
from typing import Any

from livekit.agents import DEFAULT_API_CONNECT_OPTIONS, llm
from livekit.agents.utils import shortuuid


class ScriptedLLM(llm.LLM):
    def __init__(self, script: list[Any]) -> None:
        super().__init__()
        self.script = deque(script)
        self.requests: list[llm.ChatContext] = []
        self.tools_seen: list[list[str]] = []

    def chat(self, *, chat_ctx, tools=None, conn_options=DEFAULT_API_CONNECT_OPTIONS, **kw):  # type: ignore[no-untyped-def]
        self.requests.append(chat_ctx.copy())
        self.tools_seen.append([tool.id for tool in (tools or [])])
        turn = self.script.popleft() if self.script else "(script exhausted)"
        return _Stream(
            self, chat_ctx=chat_ctx, tools=tools or [], conn_options=conn_options, turn=turn
        )


class _Stream(llm.LLMStream):
    def __init__(self, llm_: ScriptedLLM, *, turn: Any, **kw: Any) -> None:
        super().__init__(llm_, **kw)
        self._turn = turn

    async def _run(self) -> None:
        request_id = shortuuid("req_")
        if isinstance(self._turn, str):
            delta = llm.ChoiceDelta(role="assistant", content=self._turn)
        else:
            calls = [
                llm.FunctionToolCall(
                    name=name, arguments=json.dumps(args), call_id=shortuuid("call_")
                )
                for name, args in self._turn
            ]
            delta = llm.ChoiceDelta(role="assistant", tool_calls=calls)
        self._event_ch.send_nowait(llm.ChatChunk(id=request_id, delta=delta))
        self._event_ch.send_nowait(
            llm.ChatChunk(
                id=request_id,
                usage=llm.CompletionUsage(completion_tokens=1, prompt_tokens=1, total_tokens=2),
            )
        )
