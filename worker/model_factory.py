"""The model a call talks with: Gemini realtime in production, a scripted model in tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from core.settings import Settings

# (the call's snapshot, settings) -> an llm.LLM or an llm.RealtimeModel
ModelFactory = Callable[[dict[str, Any], Settings], Any]


def gemini_realtime(snapshot: dict[str, Any], settings: Settings) -> Any:
    """Gemini's native-audio realtime model, with the agent's voice and language."""
    from livekit.plugins import google

    if settings.google_api_key is None:
        raise RuntimeError("GOOGLE_API_KEY is not set; the worker cannot start a call")
    return google.realtime.RealtimeModel(
        model=settings.gemini_model,
        api_key=settings.google_api_key.get_secret_value(),
        voice=snapshot.get("voice") or "Puck",
        language=snapshot.get("language") or "en-US",
        instructions=snapshot.get("system_prompt") or "",
    )
