from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient


async def open_pool():
    return object()


app = FastAPI(on_startup=[open_pool])


async def test_assigned_client():
    # built outside an async with: reported, not rewritten
    client = AsyncClient(transport=ASGITransport(app=app), base_url="http://t")
    try:
        await client.get("/")
    finally:
        await client.aclose()


async def test_already_managed():
    async with LifespanManager(app) as manager:
        async with AsyncClient(transport=ASGITransport(app=app)) as client:
            await client.get("/")
