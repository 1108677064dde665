import httpx
import httpx as hx

from app.main import app


async def test_root():
    async with httpx.AsyncClient(app=app, base_url="http://test", timeout=5) as client:
        response = await client.get("/")
    assert response.status_code == 200


async def test_aliased_module():
    async with hx.AsyncClient(base_url="http://test", app=app) as client:
        assert (await client.get("/")).status_code == 200
