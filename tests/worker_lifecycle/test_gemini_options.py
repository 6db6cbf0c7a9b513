"""The Gemini realtime model a call talks with, as the factory builds it (offline: a model
is built without a network connection; only a session would connect)."""

from __future__ import annotations

from google.genai import types
from livekit.plugins import google
from pydantic import SecretStr

from core.call_snapshot import CallSnapshot
from tests.support.factories import Factories
from tests.support.servers import RunningServer
from tests.support.worker_job import worker_deps
from worker.model_factory import gemini_realtime
from worker.session import prepare_call

NATIVE_AUDIO = "gemini-2.5-flash-native-audio-preview-12-2025"
HALF_CASCADE = "gemini-live-2.5-flash-preview"
SNAPSHOT = CallSnapshot(system_prompt="You book dental visits.", voice="Kore", language="de-DE")


def _options(model: google.realtime.RealtimeModel):  # type: ignore[no-untyped-def]
    return model._opts


def test_calls_longer_than_fifteen_minutes_keep_their_session(settings):
    # given the compression threshold configured
    configured = settings.model_copy(
        update={
            "google_api_key": SecretStr("fake"),
            "gemini_context_compression_trigger_tokens": 60_000,
        }
    )

    # when the factory builds the call's model
    model = gemini_realtime(SNAPSHOT, configured)

    # then Gemini compresses the context with a sliding window from that size on, instead
    # of ending the session when the audio fills it (~15 minutes)
    assert _options(model).context_window_compression == types.ContextWindowCompressionConfig(
        trigger_tokens=60_000, sliding_window=types.SlidingWindow()
    )


def test_a_native_audio_model_is_told_the_language_in_its_instructions(settings):
    # given the default, native-audio model
    configured = settings.model_copy(
        update={"google_api_key": SecretStr("fake"), "gemini_model": NATIVE_AUDIO}
    )

    # when the factory builds the call's model
    options = _options(gemini_realtime(SNAPSHOT, configured))

    # then the language is in the instructions, and no language code is sent (native-audio
    # models choose their language from the conversation and take none)
    assert options.instructions.startswith("You book dental visits.")
    assert "RESPOND IN de-DE" in options.instructions
    assert options.language is None or not isinstance(options.language, str)
    assert (options.model, options.voice) == (NATIVE_AUDIO, "Kore")


def test_another_live_model_gets_the_language_code(settings):
    # given a Live model that is not native audio
    configured = settings.model_copy(
        update={"google_api_key": SecretStr("fake"), "gemini_model": HALF_CASCADE}
    )

    # when the factory builds the call's model
    options = _options(gemini_realtime(SNAPSHOT, configured))

    # then it gets the language as a code, and the instructions as written
    assert options.language == "de-DE"
    assert options.instructions == "You book dental visits."


async def test_the_agent_of_a_native_audio_call_carries_the_language_too(
    server: RunningServer, make: Factories
):
    # given a call of a German-speaking agent, and the Gemini factory (a fake key: offline)
    tenant = await make.tenant()
    agent = await make.agent(tenant, system_prompt="Sie buchen Termine.", language="de-DE")
    call = await make.call(tenant, agent)
    settings = server.settings.model_copy(
        update={"google_api_key": SecretStr("fake"), "gemini_model": NATIVE_AUDIO}
    )
    async with worker_deps(settings, gemini_realtime) as deps:
        # when the worker prepares the call
        prepared = await prepare_call(call_id=call.id, deps=deps, hang_up=_no_hang_up)

    # then the agent's instructions, which replace the model's when the session starts,
    # carry the language line as well
    assert prepared is not None
    assert prepared.agent.instructions.startswith("Sie buchen Termine.")
    assert "RESPOND IN de-DE" in prepared.agent.instructions


async def _no_hang_up(room: str | None) -> None:
    return None
