"""The suite's fixtures: a real server on a real database, clean data per module, the scan.

- `server`: the API on uvicorn for the whole session (on a private database of this run,
  tests/support/database.py), with the event bus the tests can watch.
- Every test module that uses the server starts on empty tables with the reference data
  seeded again (`_fresh_data`).
- After every test, what it received and logged is scanned for secrets (`_secret_scan`).
- `make`: the factories (tests/support/factories.py); `gql`: a GraphQL client.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio

from core.events import build_bus
from core.settings import Settings
from graphql_api.app import create_app
from orm import tenancy
from orm.migrate import apply_migrations
from orm.tenancy import Scope
from tests.fakes.twilio import FakeTwilio
from tests.support import mail, secret_scan
from tests.support.backends import TEST_DATABASE_URL, TEST_REDIS_URL
from tests.support.background_server import BackgroundServer
from tests.support.database import (
    application_role_url,
    private_postgres_database,
    reset_data,
    seed_reference_data,
)
from tests.support.factories import Factories
from tests.support.graphql import GraphQLClient
from tests.support.servers import RunningServer

secret_scan.install()
# Test code (factories, assertions on rows) reads and writes every organization's rows; the
# product's entry points (requests, webhooks, jobs) each set their own scope over this one.
tenancy.enter(Scope(platform=True, reason="test code"))

pytest_plugins = ["tests.support.fixtures"]


def pytest_collection_modifyitems(session: pytest.Session, items: list[pytest.Item]) -> None:
    # The modules whose tests stand on the server's database get clean data first.
    session.stash[_MODULES_ON_DATABASE] = {
        item.module.__name__  # type: ignore[attr-defined]
        for item in items
        if "server" in getattr(item, "fixturenames", ())
    }


_MODULES_ON_DATABASE = pytest.StashKey[set[str]]()


@pytest_asyncio.fixture(scope="session")
async def owner_database_url(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    """The run's database as its owner (the user of TEST_DATABASE_URL), migrated."""
    if TEST_DATABASE_URL:
        async with private_postgres_database(TEST_DATABASE_URL) as url:
            await apply_migrations(url)
            yield url
    else:
        url = f"sqlite://{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        await apply_migrations(url)
        yield url


@pytest_asyncio.fixture(scope="session")
async def database_url(owner_database_url: str) -> str:
    """What the server, the factories and the tests connect with: on PostgreSQL the
    application role, under row-level security (tests/support/database.py)."""
    if TEST_DATABASE_URL:
        return await application_role_url(owner_database_url)
    return owner_database_url


@pytest.fixture(scope="session")
def settings(database_url: str, twilio_server: FakeTwilio) -> Settings:
    # The platform's Twilio account is the session's fake: numbers are bought and imported
    # there (the factories' too), and its auth token signs the Twilio webhooks.
    return Settings(
        **twilio_server.settings_overrides(),
        environment="development",
        database_url=database_url,
        redis_url=TEST_REDIS_URL,
        public_base_url="http://testserver.local",
        dashboard_url="https://dashboard.test",
        sign_in_max_failures_per_email_and_address=5,
        sign_in_max_failures_per_email=10,
        sign_in_max_failures_per_address=20,
        max_query_depth=12,
        max_query_aliases=30,
    )


@pytest_asyncio.fixture(scope="session")
async def server(settings: Settings) -> AsyncIterator[RunningServer]:
    bus = build_bus(settings)
    # No background loops: the mail sender and the call janitor would change rows under
    # the tests; the tests that are about them run them.
    app = create_app(settings, bus=bus, run_background_tasks=False)
    async with BackgroundServer(app, lifespan="on", proxy_headers=True) as background:
        await seed_reference_data(settings)
        mail.use_settings(settings)
        yield RunningServer(background.url, background.ws_url, settings, bus)


@pytest.fixture(scope="module", autouse=True)
def _fresh_data(request: pytest.FixtureRequest) -> None:
    # Synchronous, so that it may start the server (an async session fixture) even when the
    # module's first test is a plain function.
    if request.module.__name__ in request.session.stash.get(_MODULES_ON_DATABASE, set()):
        request.getfixturevalue("_module_data_reset")


@pytest_asyncio.fixture(scope="module")
async def _module_data_reset(server: RunningServer) -> None:
    await reset_data(server.settings)
    secret_scan.SCANNER.forget_planted()


@pytest_asyncio.fixture(autouse=True)
async def _secret_scan(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    yield
    extra = []
    if "server" in request.fixturenames:
        extra = await secret_scan.plant_stored_secrets_and_read_events()
    leaks = secret_scan.SCANNER.check(extra)
    if leaks:
        pytest.fail(
            f"secrets left the server during {request.node.nodeid}:\n" + "\n".join(leaks[:20]),
            pytrace=False,
        )


@pytest.fixture(scope="session")
def make(server: RunningServer, twilio_server: FakeTwilio) -> Factories:
    """The factories, on the server's database (migrated, and emptied for each module), and
    the fake Twilio the suite's settings name (where numbers are bought)."""
    return Factories(server.settings, twilio_server)


@pytest_asyncio.fixture
async def gql(server: RunningServer) -> AsyncIterator[GraphQLClient]:
    async with httpx.AsyncClient(base_url=server.base_url, timeout=30) as http:
        yield GraphQLClient(http)
