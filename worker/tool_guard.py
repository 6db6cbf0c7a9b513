"""Every tool on a call runs with a timeout and is recorded; failures become speakable messages.

The wrapper keeps LiveKit's own argument parsing and validation
(`prepare_function_arguments`), so the model sees exactly the tool's schema.

A tool still running after `filler_delay` seconds has the agent say `filler_phrase`
("One moment, please.") rather than leave the caller in silence: livekit-agents'
`RunContext.with_filler` plays it once the session has been idle that long, and never
once the tool has returned (https://docs.livekit.io/agents/logic/tools/async/).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import time
from typing import Any

from livekit.agents import AgentSession, RunContext, ToolError, function_tool
from livekit.agents.llm import FunctionTool, RawFunctionTool
from livekit.agents.llm.utils import build_legacy_openai_schema, prepare_function_arguments
from livekit.agents.voice import SpeechHandle

from core.call_events import ToolOutcome
from worker.recorder import CallRecorder
from worker.tools.runtime import CallSession

log = logging.getLogger(__name__)

TIMEOUT_MESSAGE = "That is taking too long. Apologise and offer to help another way."
FAILURE_MESSAGE = "That did not work because of a problem on our side. Apologise and move on."


FILLER_INSTRUCTIONS = "Say exactly this, and nothing else: {phrase}"


def guard(
    tool: FunctionTool | RawFunctionTool,
    *,
    timeout: float,
    recorder: CallRecorder,
    filler_phrase: str = "",
    filler_delay: float = 1.5,
) -> RawFunctionTool:
    if isinstance(tool, RawFunctionTool):
        schema = dict(tool.info.raw_schema)
    else:
        schema = build_legacy_openai_schema(tool, internally_tagged=True)
    name = schema["name"]

    async def handler(raw_arguments: dict[str, Any], ctx: RunContext[CallSession]) -> Any:
        started = time.monotonic()
        outcome, message = ToolOutcome.OK, None
        try:
            args, kwargs = prepare_function_arguments(
                fnc=tool, json_arguments=raw_arguments or {}, call_ctx=ctx
            )
            result = tool(*args, **kwargs)
            if inspect.isawaitable(result):
                async with _filler(ctx, filler_phrase, filler_delay):
                    result = await asyncio.wait_for(result, timeout)
            return result
        except TimeoutError:
            outcome, message = ToolOutcome.TIMEOUT, TIMEOUT_MESSAGE
            raise ToolError(TIMEOUT_MESSAGE) from None
        except ToolError as error:
            outcome, message = ToolOutcome.ERROR, str(error)
            raise
        except Exception:
            log.exception("tool failed", extra={"function": name})
            outcome, message = ToolOutcome.ERROR, FAILURE_MESSAGE
            raise ToolError(FAILURE_MESSAGE) from None
        finally:
            await recorder.tool_invoked(
                function=name,
                arguments=raw_arguments or {},
                outcome=outcome,
                latency_ms=int((time.monotonic() - started) * 1000),
                message=message,
            )

    return function_tool(handler, raw_schema=schema)


def _filler(
    ctx: RunContext[CallSession], phrase: str, delay: float
) -> contextlib.AbstractAsyncContextManager[None]:
    if not phrase.strip():
        return contextlib.nullcontext()
    return ctx.with_filler(lambda step: speak_filler(ctx.session, phrase), delay=delay)


def speak_filler(session: AgentSession[Any], phrase: str) -> SpeechHandle:
    """The phrase as it is: spoken by the session's voice (a TTS, or text without audio).
    A realtime model that cannot speak given text (Gemini) is asked to say it."""
    try:
        return session.say(phrase)
    except RuntimeError:
        return session.generate_reply(instructions=FILLER_INSTRUCTIONS.format(phrase=phrase))
