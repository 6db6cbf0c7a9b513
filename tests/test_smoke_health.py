import httpx


async def test_healthz_and_readyz_answer(server):
    # given a running server
    async with httpx.AsyncClient(base_url=server.base_url) as http:
        # when
        health = await http.get("/healthz")
        ready = await http.get("/readyz")
    # then
    assert health.status_code == 200 and health.json() == {"status": "ok"}
    assert ready.status_code == 200
    checks = ready.json()["checks"]
    assert checks["database"] is True
    if server.settings.redis_url:
        assert checks["redis"] is True
