import asyncio

import httpx

from graphql_api import app as app_module
from tests.support.waiting import DEADLINE


class _BrokenConnection:
    async def execute_query(self, *args, **kwargs):
        raise ConnectionError("database is down")


class _BrokenConnections:
    def get(self, alias):
        return _BrokenConnection()


async def test_healthz_answers_ok(server):
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        # when
        response = await http.get("/healthz")

    # then
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_readyz_reports_its_dependencies(server):
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        # when
        response = await http.get("/readyz")

    # then
    assert response.status_code == 200
    expected = {"database": True}
    if server.settings.redis_url:
        expected["redis"] = True
    assert response.json() == {"status": "ready", "checks": expected}


async def test_database_check_is_true_on_a_working_database(server):
    # when / then
    assert await app_module._database_ok() is True


async def test_readyz_answers_503_when_the_database_is_unreachable(server, monkeypatch):
    # given the database refuses every statement (the server runs in this process)
    monkeypatch.setattr(app_module, "connections", _BrokenConnections())

    async with httpx.AsyncClient(base_url=server.base_url) as http:
        # when
        response = await http.get("/readyz")

    # then
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] is False


class _Hanging:
    """A connection whose statements never return; it notes that the caller gave up."""

    def __init__(self) -> None:
        self.abandoned = asyncio.Event()

    async def execute_query(self, *args, **kwargs):
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            self.abandoned.set()
            raise


async def test_readyz_does_not_hang_on_a_database_that_never_answers(server, monkeypatch):
    # given statements that never return
    hanging = _Hanging()

    class _HangingConnections:
        def get(self, alias):
            return hanging

    monkeypatch.setattr(app_module, "connections", _HangingConnections())

    # when (a hanging check would outlast the client's generous timeout, and fail the test)
    async with httpx.AsyncClient(base_url=server.base_url, timeout=DEADLINE) as http:
        response = await http.get("/readyz")

    # then the check gave up on the statement by itself, and answered
    assert hanging.abandoned.is_set()
    assert response.status_code == 503
    assert response.json()["checks"]["database"] is False
