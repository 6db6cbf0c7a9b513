"""Hostile requests: documents at and over the limits, bursts, production settings, and a
way to see that the server has nothing left running afterwards."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Awaitable, Callable
from typing import Any

from core.settings import Settings

# A hostile burst is this many requests at once.
BURST = 20
TRIVIAL = "query Trivial { __typename }"


def deep_query(levels: int) -> str:
    """`node(id)` -> Agent -> organization -> agents -> edges -> node -> ... `levels` deep."""
    opening, closing, depth = [], [], 0
    while depth < levels:
        opening.append("organization { agents { edges { node { ")
        closing.append(" } } } }")
        depth += 4
    body = "".join(opening) + "id" + "".join(closing)
    return f"query Deep($id: ID!) {{ node(id: $id) {{ ... on Agent {{ {body} }} }} }}"


def alias_flood(count: int) -> str:
    return "query Aliases { " + " ".join(f"a{i}: agentVoices" for i in range(count)) + " }"


def field_flood(count: int) -> str:
    return "query Fields { " + " ".join(["agentVoices"] * count) + " }"


def directive_flood(count: int) -> str:
    return "query Directives { " + " ".join(["agentVoices @include(if: true)"] * count) + " }"


def token_flood(count: int) -> str:
    # Every `__typename` is one token; the braces and the name add a few.
    return "query Tokens { " + " ".join(["__typename"] * count) + " }"


async def burst(send: Callable[[], Awaitable[Any]], count: int = BURST) -> list[Any]:
    return await asyncio.gather(*(send() for _ in range(count)))


def production_settings(database_url: str, **overrides: Any) -> Settings:
    return Settings(
        environment="production",
        jwt_secret="x" * 40,
        encryption_keys="k1:" + base64.urlsafe_b64encode(b"\x01" * 32).decode(),
        database_url=database_url,
        **overrides,
    )


def requests_in_flight() -> int:
    """HTTP requests the in-process API servers are still working on (uvicorn runs each in a
    task of this event loop, which ends once its answer is sent and its work is done)."""
    return sum(
        1
        for task in asyncio.all_tasks()
        if getattr(task.get_coro(), "__qualname__", "") == "RequestResponseCycle.run_asgi"
    )
