"""A freshly started API replica (its own uvicorn server and bus) says it is up and ready."""

import httpx

from tests.support.servers import running_app


async def test_healthz_and_readyz_answer(server):
    # given a replica started on the session's database and settings
    async with (
        running_app(server.settings) as replica,
        httpx.AsyncClient(base_url=replica.base_url) as http,
    ):
        # when
        health = await http.get("/healthz")
        ready = await http.get("/readyz")

    # then
    assert health.status_code == 200 and health.json() == {"status": "ok"}
    assert ready.status_code == 200
    expected = {"database": True}
    if server.settings.redis_url:
        expected["redis"] = True
    assert ready.json() == {"status": "ready", "checks": expected}
