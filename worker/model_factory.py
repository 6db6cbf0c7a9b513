"""The model a call talks with: Gemini realtime in production, a scripted model in tests.

Gemini Live, as the call needs it:

- Context window compression (a sliding window): without it an audio-only session ends
  once its context is full, at about 15 minutes
  (https://ai.google.dev/gemini-api/docs/live-session#context-window-compression). The
  plugin already resumes the session when Gemini resets the connection (~10 minutes).
- Native-audio models pick their language from the conversation and take no language
  code; the call's language goes into their instructions instead
  (https://cloud.google.com/vertex-ai/generative-ai/docs/live-api/configure-language-voice).
  Other Live models get `language` (speech_config.language_code).

The Google plugin is imported when this module is: the worker preloads it in its
forkserver (worker/process.py), so no job pays for it while a caller waits.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from google.genai import types
from livekit.plugins import google

from core.call_snapshot import CallSnapshot
from core.settings import Settings

# (the call's snapshot, settings) -> an llm.LLM or an llm.RealtimeModel
ModelFactory = Callable[[CallSnapshot, Settings], Any]

# Google's wording for holding a native-audio model to one language.
LANGUAGE_INSTRUCTIONS = (
    "\n\nRESPOND IN {language} (a BCP-47 language tag). "
    "YOU MUST RESPOND UNMISTAKABLY IN {language}."
)


def is_native_audio(model: str) -> bool:
    return "native-audio" in model


def gemini_options(snapshot: CallSnapshot, settings: Settings) -> dict[str, Any]:
    """The RealtimeModel's arguments for this call (no key: see `gemini_realtime`)."""
    options: dict[str, Any] = {
        "model": settings.gemini_model,
        "voice": snapshot.voice,
        "instructions": snapshot.system_prompt
        + language_instructions(settings.gemini_model, snapshot),
        "context_window_compression": types.ContextWindowCompressionConfig(
            trigger_tokens=settings.gemini_context_compression_trigger_tokens,
            sliding_window=types.SlidingWindow(),
        ),
    }
    if not is_native_audio(settings.gemini_model):
        options["language"] = snapshot.language
    return options


def gemini_realtime(snapshot: CallSnapshot, settings: Settings) -> Any:
    """Gemini's realtime model, with the agent's voice and language."""
    if settings.google_api_key is None:
        raise RuntimeError("GOOGLE_API_KEY is not set; the worker cannot start a call")
    return google.realtime.RealtimeModel(
        api_key=settings.google_api_key.get_secret_value(), **gemini_options(snapshot, settings)
    )


def language_instructions(model: str, snapshot: CallSnapshot) -> str:
    """What a model that takes no language code is told about the call's language."""
    return (
        LANGUAGE_INSTRUCTIONS.format(language=snapshot.language) if is_native_audio(model) else ""
    )


def instructions_for(model: Any, snapshot: CallSnapshot) -> str:
    """The agent's instructions for the model the call talks with: an agent's instructions
    replace the model's own when the session starts, so they carry the language line too."""
    if isinstance(model, google.realtime.RealtimeModel):
        return snapshot.system_prompt + language_instructions(model.model, snapshot)
    return snapshot.system_prompt
