"""The one free-port helper, for what must be told its port before it starts (child
processes such as redis-server or the API). In-process servers bind port 0 instead
(`BackgroundServer`), which cannot race."""

from __future__ import annotations

import socket


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
