"""Shared pieces of the hostile suites: hostile documents, SQL counting, in-process apps."""

from __future__ import annotations

import asyncio
import base64
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx

from core.settings import Settings
from graphql_api.app import create_app
from tests.conftest import GraphQLClient
from tests.graphql_server.helpers import sql_statements

__all__ = ["sql_statements"]

# A hostile burst is this many requests at once; the server must still answer a normal
# query within RESPONSIVE_SECONDS afterwards.
BURST = 20
RESPONSIVE_SECONDS = 2.0
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


async def timed_normal_query(gql: GraphQLClient, token: str) -> float:
    """Seconds a normal, data-reading query takes (it must succeed)."""
    started = time.perf_counter()
    data = await gql.data("query Me { me { id email } }", token=token)
    assert data["me"]["id"]
    return time.perf_counter() - started


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


def asgi_client(settings: Settings, base_url: str, **app_kwargs: Any) -> httpx.AsyncClient:
    """The app built in-process (no lifespan: the session's server already opened the ORM)."""
    app = create_app(settings, run_mail_sender=False, **app_kwargs)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base_url, timeout=20)
