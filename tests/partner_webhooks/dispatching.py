"""What the delivery tests stand on besides the `receiver` fixture (conftest.py): a clock
the test moves, dispatchers driven pass by pass (or left running), the CLI in a child
process."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from core.partner_webhooks.dispatcher import Dispatcher
from core.settings import Settings
from orm.models import WebhookDelivery
from tests.reliability.helpers import ROOT


class FakeClock:
    """The dispatcher's time: real time, plus however far the test moved it ahead (so rows
    written at real time meanwhile stay in order with it)."""

    def __init__(self) -> None:
        self.ahead = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.ahead

    def advance(self, delta: timedelta) -> None:
        self.ahead += delta


async def deliver_due(dispatcher: Dispatcher) -> int:
    """Passes until nothing more is due: every due delivery attempted once and recorded."""
    attempted = 0
    while started := await dispatcher.dispatch_due():
        attempted += started
        await dispatcher.idle()
    return attempted


@contextlib.asynccontextmanager
async def dispatcher_of(settings: Settings, **options: Any) -> AsyncIterator[Dispatcher]:
    """A dispatcher the test drives with `deliver_due` (closed after)."""
    dispatcher = Dispatcher(settings, **options)
    try:
        yield dispatcher
    finally:
        await dispatcher.aclose()


@contextlib.asynccontextmanager
async def running_dispatcher(settings: Settings, **options: Any) -> AsyncIterator[Dispatcher]:
    """A dispatcher running its loop, as in an API process, until the block ends."""
    dispatcher = Dispatcher(settings, **options)
    task = asyncio.create_task(dispatcher.run())
    try:
        yield dispatcher
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await dispatcher.aclose()


def fast(settings: Settings, **overrides: Any) -> Settings:
    """Settings whose dispatcher polls often (a test waits for what it does, never on it)."""
    return settings.model_copy(update={"webhook_dispatch_poll_seconds": 0.05, **overrides})


async def deliveries_of(message_id: str) -> list[WebhookDelivery]:
    return await WebhookDelivery.filter(message_id=message_id).order_by("created_at")


def data_of(body: bytes | str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(body)["data"]
    return data


def spawn_cli(args: list[str], env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    """`voiceagents <args>` in a child process configured by `env` alone (the outer
    environment's database, Redis and settings left out)."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.upper().startswith(("DATABASE_", "REDIS_", "WEBHOOK_", "TEST_"))
    }
    environment.update({"PYTHONPATH": str(ROOT), "LOG_LEVEL": "WARNING", **env})
    with open(log_path, "wb") as log_file:
        return subprocess.Popen(
            [sys.executable, "-m", "core.cli", *args],
            env=environment,
            cwd=ROOT,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
