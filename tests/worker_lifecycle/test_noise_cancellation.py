"""Noise cancellation of the caller's phone line: a setting, off by default, that needs the
LiveKit Cloud plugin (livekit-plugins-noise-cancellation)."""

from __future__ import annotations

import importlib.util
from types import SimpleNamespace

import pytest
from livekit import rtc
from livekit.agents.voice.room_io.types import NoiseCancellationParams

from core.settings import Settings
from worker.main import WorkerStartError, run
from worker.noise_cancellation import NoiseCancellationUnavailable, caller_audio, plugin

PLUGIN_INSTALLED = importlib.util.find_spec("livekit.plugins.noise_cancellation") is not None


class TelephonyModel:
    """Stands in for the plugin's module: what BVCTelephony() returns is handed to LiveKit."""

    chosen = object()

    def BVCTelephony(self) -> object:
        return self.chosen


def _participant(kind: int) -> NoiseCancellationParams:
    return NoiseCancellationParams(participant=SimpleNamespace(kind=kind), track=None)  # type: ignore[arg-type]


def test_off_by_default_nothing_is_loaded(settings: Settings):
    # given the default settings
    # when the worker looks for the plugin
    # then there is none to use, and an incoming call keeps LiveKit's audio defaults
    assert settings.noise_cancellation_enabled is False
    assert plugin(settings) is None
    assert caller_audio("inbound", None) is None


def test_an_incoming_calls_phone_line_gets_the_telephony_model():
    # given the plugin loaded
    model = TelephonyModel()

    # when the room's audio input is set up for an incoming call
    audio = caller_audio("inbound", model)

    # then the caller's SIP line is cleaned with the telephony model, other participants not
    assert audio is not None and callable(audio.noise_cancellation)
    select = audio.noise_cancellation
    assert select(_participant(rtc.ParticipantKind.PARTICIPANT_KIND_SIP)) is TelephonyModel.chosen
    assert select(_participant(rtc.ParticipantKind.PARTICIPANT_KIND_STANDARD)) is None
    # and an outgoing call is left as it is
    assert caller_audio("outbound", model) is None


@pytest.mark.skipif(PLUGIN_INSTALLED, reason="the plugin is installed here")
def test_the_worker_refuses_to_start_when_on_and_the_plugin_is_missing(settings: Settings):
    # given the setting on, without the package
    configured = settings.model_copy(update={"noise_cancellation_enabled": True})

    # when the worker starts
    with pytest.raises(WorkerStartError) as refused:
        run(
            mode="start",
            connect_addr=None,
            settings=configured,
            with_database=_never_called,
        )

    # then it says why in one line, before doing anything else
    message = str(refused.value)
    assert "NOISE_CANCELLATION_ENABLED" in message and "noise-cancellation" in message
    assert "\n" not in message
    with pytest.raises(NoiseCancellationUnavailable):
        plugin(configured)


async def _never_called(work):  # type: ignore[no-untyped-def]
    raise AssertionError("the worker went on starting")
