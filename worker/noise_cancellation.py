"""Noise cancellation of the phone caller's audio on incoming calls.

LiveKit's enhanced noise cancellation runs inside the worker on the audio it receives,
with a model made for telephone audio (`BVCTelephony`); it needs LiveKit Cloud and the
`livekit-plugins-noise-cancellation` package (the `noise-cancellation` extra)
(https://docs.livekit.io/home/client/tracks/noise-cancellation/). It is a setting,
`NOISE_CANCELLATION_ENABLED`, off by default: on without the package, the worker refuses to
start rather than take calls without it.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from livekit import rtc
from livekit.agents import room_io
from livekit.agents.voice.room_io.types import NoiseCancellationParams

from core.settings import Settings

PLUGIN = "livekit.plugins.noise_cancellation"


class NoiseCancellationUnavailable(Exception):
    """NOISE_CANCELLATION_ENABLED is on and the plugin cannot be loaded."""


def plugin(settings: Settings) -> ModuleType | None:
    """The plugin when the setting is on (imported once; the worker preloads it)."""
    if not settings.noise_cancellation_enabled:
        return None
    try:
        return importlib.import_module(PLUGIN)
    except ImportError as error:
        raise NoiseCancellationUnavailable(
            "NOISE_CANCELLATION_ENABLED is on but livekit-plugins-noise-cancellation cannot be "
            f"loaded ({error}); install the worker with the `noise-cancellation` extra, or "
            "turn the setting off"
        ) from None


def caller_audio(direction: str, nc_plugin: Any | None) -> room_io.AudioInputOptions | None:
    """The room's audio input for a call: the telephony model on an incoming call's phone
    line (a SIP participant); None leaves LiveKit's defaults."""
    if nc_plugin is None or direction != "inbound":
        return None

    def select(params: NoiseCancellationParams) -> Any:
        if params.participant.kind == rtc.ParticipantKind.PARTICIPANT_KIND_SIP:
            return nc_plugin.BVCTelephony()
        return None

    # With a selector LiveKit wants gain control set explicitly; the filter levels the audio.
    return room_io.AudioInputOptions(noise_cancellation=select, auto_gain_control=False)
