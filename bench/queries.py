"""SQL statements per request as the dashboard page grows from 10 to 100 items.

The API and the hand-written handlers run in this process (over httpx's ASGI
transport) so every statement Tortoise sends is seen on its `tortoise.db_client`
logger and counted. A warm-up request first, then the counted one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from tortoise import Tortoise

from bench import handwritten
from bench.operations import dashboard_body, me_body
from core.security.tokens import AccessTokenCodec
from core.settings import Settings
from graphql_api.app import create_app
from orm.config import tortoise_config

SIZES = (10, 50, 100)
_STATEMENTS = ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")


@dataclass
class Counts:
    read: str
    size: int | None
    api: int
    baseline: int


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        if str(record.msg).lstrip().upper().startswith(_STATEMENTS) or (
            record.args and str(record.args[0]).lstrip().upper().startswith(_STATEMENTS)
        ):
            self.count += 1


async def measure(*, database_url: str, token: str, organization_global_id: str) -> list[Counts]:
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
    counter = _Counter()
    logger = logging.getLogger("tortoise.db_client")
    previous_level = logger.level
    await Tortoise.init(config=tortoise_config(database_url))
    logger.addHandler(counter)
    logger.setLevel(logging.DEBUG)
    headers = {"Authorization": f"Bearer {token}"}
    results = []
    try:
        async with (
            httpx.AsyncClient(transport=httpx.ASGITransport(app=api), base_url="http://api") as a,
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=baseline), base_url="http://baseline"
            ) as b,
        ):

            async def count(client: httpx.AsyncClient, path: str, body: dict[str, object]) -> int:
                await client.post(path, json=body, headers=headers)
                counter.count = 0
                response = await client.post(path, json=body, headers=headers)
                assert response.status_code == 200 and "errors" not in response.json(), (
                    response.text[:500]
                )
                return counter.count

            for size in SIZES:
                body = dashboard_body(organization_global_id, first=size)
                results.append(
                    Counts(
                        "dashboard",
                        size,
                        await count(a, "/graphql", body),
                        await count(b, "/dashboard", body),
                    )
                )
            results.append(
                Counts(
                    "me",
                    None,
                    await count(a, "/graphql", me_body()),
                    await count(b, "/me", me_body()),
                )
            )
    finally:
        logger.removeHandler(counter)
        logger.setLevel(previous_level)
        await Tortoise.close_connections()
    return results
