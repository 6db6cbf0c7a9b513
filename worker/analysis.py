"""Post-call analysis, continuously, beside the LiveKit worker.

LiveKit's CLI owns the worker's main loop, so the runner (core/analysis/runner.py) runs in
a daemon thread with its own event loop, database connection and bus, like the token
revoker. The revoker's thread holds Tortoise's global context; this one keeps its context
to its own loop (a second global context is refused).
"""

from __future__ import annotations

import asyncio
import logging
import threading

from tortoise import Tortoise

from core.analysis import gemini
from core.analysis.runner import AnalysisRunner
from core.events import build_bus
from core.settings import Settings
from orm.config import tortoise_config

log = logging.getLogger(__name__)


async def analyse_forever(settings: Settings) -> None:
    await Tortoise.init(config=tortoise_config(settings.database_url))
    bus = build_bus(settings)
    runner = AnalysisRunner(settings=settings, bus=bus)
    try:
        await runner.run_forever()
    finally:
        await runner.aclose()
        await bus.close()
        await Tortoise.close_connections()


def start_in_background(settings: Settings) -> threading.Thread | None:
    """Start the runner; None when this process cannot analyse (no GOOGLE_API_KEY)."""
    if not gemini.available(settings):
        log.warning("post-call analysis does not run in this worker: GOOGLE_API_KEY is not set")
        return None
    thread = threading.Thread(
        target=lambda: asyncio.run(analyse_forever(settings)), name="call-analysis", daemon=True
    )
    thread.start()
    return thread
