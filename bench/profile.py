"""`python -m bench.profile`: where the API's CPU goes for the dashboard and `me` reads.

Serves both reads in this process (httpx's ASGI transport, no sockets) on a fresh SQLite
database seeded like the bench's (BENCH_DATABASE_URL picks another), profiles N requests of
each with cProfile on the process's CPU clock, and prints the CPU time per request by
component, ranked, for the API and for the hand-written baseline (bench/handwritten.py).
Both processes' heaps are settled as the servers' are (core/heap.py). The test client's own
work (httpx) is listed on its own line: it is the same on both sides.
"""

from __future__ import annotations

import asyncio
import cProfile
import gc
import os
import pstats
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

# Most specific first: the file a function is defined in decides its component.
COMPONENTS = (
    ("graphql-core (execution, validation)", r"site-packages/graphql/"),
    ("Strawberry (resolver wrappers, extensions, view)", r"site-packages/strawberry/"),
    ("our GraphQL layer (graphql_api: types, permissions, loaders)", r"/graphql_api/"),
    ("Tortoise ORM and PyPika (queries, rows to models)", r"site-packages/(tortoise|pypika)"),
    ("database driver (aiosqlite, asyncpg)", r"site-packages/(aiosqlite|asyncpg)|sqlite3"),
    ("value parsing (JSON, timestamps, UUIDs)", r"json/|iso8601|uuid\.py|datetime"),
    ("event loop and tasks (asyncio)", r"asyncio/|selectors\.py|_asyncio|select\.epoll|uvloop"),
    ("authentication (JWT, sessions)", r"site-packages/jwt/|core/services/sessions|core/security"),
    ("HTTP (Starlette, our transport)", r"site-packages/starlette/|cross_web|/transport/"),
    ("the hand-written handler", r"bench/handwritten\.py"),
    ("test client (httpx; the same on both sides)", r"site-packages/(httpx|httpcore|anyio|h11)"),
)


def component(filename: str, function: str) -> str:
    for name, pattern in COMPONENTS:
        if re.search(pattern, filename) or re.search(pattern, function):
            return name
    return "other (builtins, stdlib)"


def ranked(stats: pstats.Stats, requests: int) -> list[tuple[str, float]]:
    """Own CPU time per request by component; a builtin's (isinstance, getattr, a dict's
    get...) counts for the components of the functions that called it."""
    by: Counter[str] = Counter()
    for (filename, _, function), (_, _, own, _, callers) in stats.stats.items():  # type: ignore[attr-defined]
        if filename != "~" or not callers:
            by[component(filename, function)] += own
            continue
        for (caller_file, _, caller_function), timing in callers.items():
            by[component(caller_file, caller_function)] += timing[2]
    return [(name, seconds * 1000 / requests) for name, seconds in by.most_common()]


async def _profile(database_url: str, requests: int) -> dict[str, list[tuple[str, float]]]:
    import httpx
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route
    from tortoise import Tortoise

    from bench import handwritten
    from bench.__main__ import prepare
    from bench.operations import dashboard_body, me_body
    from core import heap
    from core.security.tokens import AccessTokenCodec
    from core.settings import Settings
    from graphql_api.app import create_app
    from orm.config import tortoise_config

    seed = await prepare(database_url)
    settings = Settings(database_url=database_url, environment="development")
    codec = AccessTokenCodec(settings)

    async def dashboard(request: Request) -> Response:
        return await handwritten.dashboard(request, codec)

    async def me(request: Request) -> Response:
        return await handwritten.me(request, codec)

    baseline = Starlette(
        routes=[
            Route("/dashboard", dashboard, methods=["POST"]),
            Route("/me", me, methods=["POST"]),
        ]
    )
    api = create_app(settings, run_background_tasks=False)
    await Tortoise.init(config=tortoise_config(database_url))
    heap.settle()
    headers = {"Authorization": f"Bearer {seed['token']}"}
    reads = {
        "dashboard": dashboard_body(str(seed["dashboard_org_id"])),
        "me": me_body(),
    }
    results = {}
    try:
        for side, app, paths in (
            ("API", api, {"dashboard": "/graphql", "me": "/graphql"}),
            ("baseline", baseline, {"dashboard": "/dashboard", "me": "/me"}),
        ):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                for read, body in reads.items():
                    for _ in range(20):  # warm up
                        await client.post(paths[read], json=body, headers=headers)
                    profiler = cProfile.Profile(time.process_time)
                    profiler.enable()
                    for _ in range(requests):
                        response = await client.post(paths[read], json=body, headers=headers)
                    profiler.disable()
                    assert response.status_code == 200, response.text
                    results[f"{read} ({side})"] = ranked(pstats.Stats(profiler), requests)
    finally:
        await Tortoise.close_connections()
    return results


def main() -> None:
    requests = int(os.environ.get("PROFILE_REQUESTS", "200"))
    workdir = Path(tempfile.mkdtemp(prefix="va-profile-"))
    database_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite://{workdir / 'p.sqlite3'}"
    results = asyncio.run(_profile(database_url, requests))
    gc.collect()
    for name, rows in results.items():
        total = sum(ms for _, ms in rows)
        print(f"\n{name}: {total:.2f} ms of profiled CPU per request")
        for component_name, ms in rows:
            print(f"  {ms:6.2f} ms  {ms / total:4.0%}  {component_name}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
