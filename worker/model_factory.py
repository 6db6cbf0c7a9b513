"""The model a call talks with: Gemini realtime in production, a scripted model in tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core.call_snapshot import CallSnapshot
from core.settings import Settings

# (the call's snapshot, settings) -> an llm.LLM or an llm.RealtimeModel
ModelFactory = Callable[[CallSnapshot, Settings], Any]


def gemini_realtime(snapshot: CallSnapshot, settings: Settings) -> Any:
    """Gemini's native-audio realtime model, with the agent's voice and language."""
    from livekit.plugins import google

    if settings.google_api_key is None:
        raise RuntimeError("GOOGLE_API_KEY is not set; the worker cannot start a call")
    return google.realtime.RealtimeModel(
        model=settings.gemini_model,
        api_key=settings.google_api_key.get_secret_value(),
        voice=snapshot.voice,
        language=snapshot.language,
        instructions=snapshot.system_prompt,
    )
