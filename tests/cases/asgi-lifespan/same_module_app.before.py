from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient


async def open_pool():
    return object()


app = FastAPI(on_startup=[open_pool])


async def test_root():
    manager = "a name the test already uses"
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://t") as client:
        assert (await client.get("/")).status_code == 404
    assert manager
