"""The test harness: a real server on a real database, reached over HTTP and WebSocket.

TEST_DATABASE_URL selects PostgreSQL (default: a fresh SQLite file) and TEST_REDIS_URL
selects Redis. When they are set, an unreachable service fails the run; it never skips.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import socket
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import asyncpg
import httpx
import pytest
import pytest_asyncio
import uvicorn

from core.settings import Settings
from graphql_api.app import create_app
from orm.config import normalize_url
from orm.migrate import apply_migrations
from tests.support.secret_scan import SCANNER, CapturingHandler, Recorded

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL")
PASSWORD = "correct horse battery staple"


# Every response from our endpoints and every log line is kept for the secret scan that
# runs when the session ends (tests/support/secret_scan.py).
_original_send = httpx.AsyncClient.send


async def _recording_send(self: httpx.AsyncClient, request: httpx.Request, **kwargs: Any):  # type: ignore[no-untyped-def]
    try:
        SCANNER.record_request(request.url.path, request.content)
    except httpx.RequestNotRead:
        pass
    response = await _original_send(self, request, **kwargs)
    if not kwargs.get("stream"):
        SCANNER.record_response(request.url.path, response.text)
    return response


# pytest imports this file as `conftest` and the tests import it as `tests.conftest`:
# install the hooks once, whichever runs first.
if not getattr(httpx.AsyncClient.send, "_records_for_secret_scan", False):
    _recording_send._records_for_secret_scan = True  # type: ignore[attr-defined]
    httpx.AsyncClient.send = _recording_send  # type: ignore[method-assign]
    logging.getLogger().addHandler(CapturingHandler(SCANNER))
    if logging.getLogger().level > logging.INFO or logging.getLogger().level == logging.NOTSET:
        logging.getLogger().setLevel(logging.INFO)


async def _stored_secrets_and_events() -> list[Recorded]:
    """Values at rest that must never be shown, and the call events to scan."""
    from orm.models import AgentTool, CallEvent, CustomFunction, User

    for password_hash in await User.all().values_list("password_hash", flat=True):
        SCANNER.plant(password_hash, "password hash", anywhere=True)
    for sealed in await AgentTool.exclude(sensitive_config=None).values_list(
        "sensitive_config", flat=True
    ):
        SCANNER.plant(sealed, "sealed tool secrets", anywhere=True)
    for sealed in await CustomFunction.exclude(sealed_secret_headers=None).values_list(
        "sealed_secret_headers", flat=True
    ):
        SCANNER.plant(sealed, "sealed secret headers", anywhere=True)
    events = await CallEvent.all().values_list("call_id", "data")
    return [Recorded(-1, f"call event of {call_id}", json.dumps(data)) for call_id, data in events]


def backend() -> str:
    return "postgres" if TEST_DATABASE_URL else "sqlite"


async def _reset_postgres(url: str) -> None:
    connection = await asyncpg.connect(
        normalize_url(url).replace("postgres://", "postgresql://", 1)
    )
    try:
        await connection.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    if TEST_DATABASE_URL:
        return TEST_DATABASE_URL
    return f"sqlite://{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return Settings(
        environment="development",
        database_url=database_url,
        redis_url=TEST_REDIS_URL,
        public_base_url="http://testserver.local",
        dashboard_url="https://dashboard.test",
        email_send_interval_seconds=0.05,
        sign_in_max_failures_per_email=5,
        sign_in_max_failures_per_address=20,
        max_query_depth=12,
        max_query_aliases=30,
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class RunningServer:
    base_url: str
    ws_url: str
    settings: Settings


@pytest_asyncio.fixture(scope="session")
async def server(settings: Settings) -> AsyncIterator[RunningServer]:
    if TEST_DATABASE_URL:
        await _reset_postgres(TEST_DATABASE_URL)
    await apply_migrations(settings.database_url)
    port = _free_port()
    config = uvicorn.Config(
        create_app(settings),
        host="127.0.0.1",
        port=port,
        lifespan="on",
        log_level="warning",
        proxy_headers=True,
        forwarded_allow_ips="127.0.0.1",
    )
    uvicorn_server = uvicorn.Server(config)
    # Signals belong to pytest, not to the embedded server.
    uvicorn_server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
    task = asyncio.create_task(uvicorn_server.serve())
    for _ in range(200):
        if uvicorn_server.started or task.done():
            break
        await asyncio.sleep(0.05)
    if task.done():
        task.result()
    assert uvicorn_server.started, "the test server did not start"
    from core.services import billing, roles
    from core.tools.sync import sync_platform_tools

    await roles.sync_builtin_roles()
    await billing.sync_plans(settings=settings)
    await sync_platform_tools()
    yield RunningServer(f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{port}/graphql", settings)
    try:
        events = await _stored_secrets_and_events()
        leaks = SCANNER.violations(extra=events)
        assert not leaks, "secrets left the server:\n" + "\n".join(leaks[:20])
    finally:
        uvicorn_server.should_exit = True
        await task


class GraphQLClient:
    """A small GraphQL-over-HTTP client; `token` is an access token or an API key."""

    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def raw(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str | None = None,
        client_address: str | None = None,
    ) -> httpx.Response:
        headers = {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if client_address:
            headers["X-Forwarded-For"] = client_address
        return await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )

    async def execute(self, query: str, variables: dict[str, Any] | None = None, **kw: Any) -> dict:
        response = await self.raw(query, variables, **kw)
        assert response.status_code == 200, response.text
        return response.json()

    async def data(self, query: str, variables: dict[str, Any] | None = None, **kw: Any) -> dict:
        body = await self.execute(query, variables, **kw)
        assert "errors" not in body, body
        return body["data"]


@pytest_asyncio.fixture
async def gql(server: RunningServer) -> AsyncIterator[GraphQLClient]:
    async with httpx.AsyncClient(base_url=server.base_url, timeout=20) as http:
        yield GraphQLClient(http)


SIGN_UP = """
mutation SignUp($input: SignUpInput!) {
  signUp(input: $input) {
    user { id email fullName }
    accessToken refreshToken
    errors { field message code }
  }
}
"""

ORGANIZATION_CREATE = """
mutation OrganizationCreate($input: OrganizationCreateInput!) {
  organizationCreate(input: $input) {
    organization { id name slug }
    errors { field message code }
  }
}
"""


@dataclass
class Account:
    user_id: str
    email: str
    token: str
    refresh_token: str


def unique_email(prefix: str = "user") -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}@example.com"


async def sign_up(gql: GraphQLClient, email: str | None = None, name: str = "Test User") -> Account:
    email = email or unique_email()
    data = await gql.data(
        SIGN_UP, {"input": {"email": email, "password": PASSWORD, "fullName": name}}
    )
    payload = data["signUp"]
    assert payload["errors"] == [], payload
    return Account(payload["user"]["id"], email, payload["accessToken"], payload["refreshToken"])


async def create_organization(gql: GraphQLClient, account: Account, name: str = "Acme") -> str:
    data = await gql.data(ORGANIZATION_CREATE, {"input": {"name": name}}, token=account.token)
    assert data["organizationCreate"]["errors"] == [], data
    return data["organizationCreate"]["organization"]["id"]


def random_phone_number() -> str:
    """A valid, unused-looking US number (555-01xx range is reserved for fiction)."""
    import random

    return f"+1415555{random.randint(1000, 9999)}"
