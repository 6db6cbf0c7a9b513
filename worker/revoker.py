"""Revoking queued OAuth grants, continuously, beside the LiveKit worker.

The API queues revocations but cannot unseal the tokens; the worker can. The
LiveKit CLI owns the worker's main loop, so this runs in a daemon thread with
its own loop and database connection.
"""

from __future__ import annotations

import asyncio
import logging
import threading

from tortoise import Tortoise

from core.settings import Settings
from core.tools.revocations import revoke_pending
from orm.config import tortoise_config

log = logging.getLogger(__name__)
INTERVAL_SECONDS = 60.0


async def revoke_forever(settings: Settings, interval_seconds: float = INTERVAL_SECONDS) -> None:
    await Tortoise.init(config=tortoise_config(settings.database_url), _enable_global_fallback=True)
    try:
        while True:
            try:
                while await revoke_pending(settings=settings) > 0:
                    pass
            except Exception:
                log.exception("token revocation pass failed")
            await asyncio.sleep(interval_seconds)
    finally:
        await Tortoise.close_connections()


def start_in_background(settings: Settings) -> threading.Thread:
    thread = threading.Thread(
        target=lambda: asyncio.run(revoke_forever(settings)), name="token-revoker", daemon=True
    )
    thread.start()
    return thread
