import asyncio
import time

import httpx

from graphql_api import app as app_module


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


async def test_readyz_does_not_hang_on_a_database_that_never_answers(server, monkeypatch):
    # given statements that never return
    class _Hanging:
        async def execute_query(self, *args, **kwargs):
            await asyncio.Event().wait()

    class _HangingConnections:
        def get(self, alias):
            return _Hanging()

    monkeypatch.setattr(app_module, "connections", _HangingConnections())

    async with httpx.AsyncClient(base_url=server.base_url, timeout=10) as http:
        # when
        started = time.monotonic()
        response = await http.get("/readyz")
        elapsed = time.monotonic() - started

    # then the check gives up after its own timeout
    assert response.status_code == 503
    assert response.json()["checks"]["database"] is False
    assert elapsed < 5
