from httpx import ASGITransport as Asgi
from httpx import AsyncClient as Client

from app.main import app


async def test_root():
    async with Client(transport=Asgi(app=app), base_url="http://test") as client:
        assert (await client.get("/")).status_code == 200
