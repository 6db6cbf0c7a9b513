"""PostgreSQL unreachable: `/readyz` says so, requests fail cleanly, service returns by itself.

The API runs in a child process (Tortoise's connections are per process) whose
DATABASE_URL goes through a TCP relay of ours in front of the test database.
Cutting the relay closes its listener and resets every connection, as a
database lost to the network does; restoring it listens on the same port again.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

from tests.reliability.helpers import TcpProxy, api_process
from tests.support.backends import needs_postgres
from tests.support.factories import PASSWORD
from tests.support.operations import SIGN_IN
from tests.support.servers import RunningServer
from tests.support.waiting import DEADLINE, eventually

pytestmark = [pytest.mark.slow, needs_postgres]

ME = "query MyEmail { me { email } }"
# Signs of an unmasked failure that must never reach a client.
LEAKS = ("Traceback", 'File "', "asyncpg", "tortoise", "Connection", "postgres")


def through(url: str, port: int) -> str:
    """The same database URL, reached through 127.0.0.1:<port>."""
    parts = urlsplit(url)
    credentials = parts.netloc.rpartition("@")[0]
    netloc = f"{credentials}@127.0.0.1:{port}" if credentials else f"127.0.0.1:{port}"
    return urlunsplit(parts._replace(netloc=netloc))


def assert_no_internals(response: httpx.Response) -> None:
    for leak in LEAKS:
        assert leak not in response.text, response.text


async def answered(http: httpx.AsyncClient, **request: object) -> httpx.Response:
    """A request against a database that is gone is answered, it never hangs."""
    return await asyncio.wait_for(http.post("/graphql", **request), DEADLINE)  # type: ignore[arg-type]


async def test_a_lost_database_is_reported_fails_requests_cleanly_and_comes_back(
    server: RunningServer, make, tmp_path: Path
):
    # given: an account, and an API whose database is behind our relay
    account = await make.account()
    database = urlsplit(server.settings.database_url)
    proxy = TcpProxy(database.hostname or "127.0.0.1", database.port or 5432)
    await proxy.start()
    sign_in = {"input": {"email": account.email, "password": PASSWORD}}
    try:
        env = {"DATABASE_URL": through(server.settings.database_url, proxy.port)}
        async with (
            api_process(env, tmp_path) as api,
            httpx.AsyncClient(base_url=api.base_url, timeout=2 * DEADLINE) as http,
        ):
            ready = await http.get("/readyz")
            assert ready.status_code == 200
            assert ready.json() == {"status": "ready", "checks": {"database": True}}
            signed_in = await http.post("/graphql", json={"query": SIGN_IN, "variables": sign_in})
            assert signed_in.json()["data"]["signIn"]["errors"] == []
            token = signed_in.json()["data"]["signIn"]["accessToken"]

            # when the database drops off the network
            await proxy.cut()

            # then /readyz says so
            async def not_ready() -> bool:
                response = await http.get("/readyz")
                return response.status_code == 503 and response.json() == {
                    "status": "unavailable",
                    "checks": {"database": False},
                }

            await eventually(not_ready, what="/readyz reports the database gone")
            # and signing in fails with a masked error (HTTP 200, GraphQL error)
            failed = await answered(http, json={"query": SIGN_IN, "variables": sign_in})
            assert_no_internals(failed)
            assert failed.status_code == 200
            [error] = failed.json()["errors"]
            assert failed.json()["data"] is None
            assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
            assert error["message"].startswith("Unexpected error. Reference: ")
            # and a request whose credential cannot be checked is answered 503
            unavailable = await answered(
                http, json={"query": ME}, headers={"Authorization": f"Bearer {token}"}
            )
            assert_no_internals(unavailable)
            assert unavailable.status_code == 503
            assert unavailable.text == "Service unavailable. Try again shortly."
            # and the process is still up: liveness does not depend on the database
            assert (await http.get("/healthz")).status_code == 200

            # when the database is reachable again
            await proxy.restore()

            # then the service is back by itself, without a restart
            async def ready_again() -> bool:
                response = await http.get("/readyz")
                return response.status_code == 200

            await eventually(ready_again, what="/readyz reports the database back")
            signed_in = await http.post("/graphql", json={"query": SIGN_IN, "variables": sign_in})
            assert signed_in.status_code == 200
            assert signed_in.json()["data"]["signIn"]["errors"] == []
            assert signed_in.json()["data"]["signIn"]["accessToken"]
            me = await http.post(
                "/graphql", json={"query": ME}, headers={"Authorization": f"Bearer {token}"}
            )
            assert me.json() == {"data": {"me": {"email": account.email}}}
            assert api.process.poll() is None
    finally:
        await proxy.close()
