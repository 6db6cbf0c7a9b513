"""Waking this process's dispatchers when a call event was recorded here.

The deliveries of an event are committed with it; a dispatcher polling on its interval
would find them up to that interval later. Recording an event rings the bell after its
transaction commits, and every dispatcher of this process (core/partner_webhooks/dispatcher.py)
claims at once. Events recorded in another process (the worker) reach the dispatchers on
their next poll.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator

_bells: set[asyncio.Event] = set()


def ring() -> None:
    """Wake every dispatcher listening in this process (none: nothing happens)."""
    for bell in list(_bells):
        bell.set()


@contextlib.contextmanager
def listening() -> Iterator[asyncio.Event]:
    """A bell rung by `ring()` while the block runs; the listener clears it."""
    bell = asyncio.Event()
    _bells.add(bell)
    try:
        yield bell
    finally:
        _bells.discard(bell)
