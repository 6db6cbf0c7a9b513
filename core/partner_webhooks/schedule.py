"""When a failed delivery is tried again: exponential backoff with jitter over three days.

Svix retries "immediately, 5 seconds, 5 minutes, 30 minutes, 2 hours, 5 hours, 10 hours,
10 hours" after each failure (https://docs.svix.com/retries); Stripe keeps trying "for up to
three days with an exponential back off" in live mode
(https://docs.stripe.com/webhooks#retries). We take Svix's steps and continue them to
Stripe's three days: ten attempts, the last about 71.6 hours after the first, each delay
moved by up to ±10 % (jitter), so that an endpoint that was down does not get every
delivery it missed in the same second when it comes back. docs/webhooks.md has the table.
"""

from __future__ import annotations

import random
from datetime import timedelta

# The delay after the n-th failed attempt (n = 1 .. 9); after the 10th the delivery fails.
RETRY_DELAYS: tuple[timedelta, ...] = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
    timedelta(hours=10),
    timedelta(hours=20),
    timedelta(hours=24),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
JITTER = 0.1


def retry_delay(attempts: int, rng: random.Random | None = None) -> timedelta | None:
    """How long after the `attempts`-th failed attempt the next one is due; None when that
    was the last."""
    if attempts < 1 or attempts >= MAX_ATTEMPTS:
        return None
    spread = (rng or random).uniform(1 - JITTER, 1 + JITTER)
    return RETRY_DELAYS[attempts - 1] * spread


def retry_window() -> timedelta:
    """From the first attempt to the last, without jitter."""
    return sum(RETRY_DELAYS, timedelta())
