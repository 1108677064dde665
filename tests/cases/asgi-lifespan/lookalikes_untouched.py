from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from starlette.testclient import TestClient

app = FastAPI()


def create_app():
    return FastAPI(lifespan=None)


async def test_app_without_lifespan():
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://t") as client:
        await client.get("/")


async def test_factory_app():
    async with AsyncClient(transport=ASGITransport(app=create_app())) as client:
        await client.get("/")


def test_sync_client_runs_lifespan_itself():
    with TestClient(app) as client:
        client.get("/")
