import httpx
from starlette.testclient import TestClient

from app.main import app


class AsyncClient:
    def __init__(self, app, base_url=""):
        self.app = app


def test_starlette_client():
    with TestClient(app=app) as client:
        assert client.get("/").status_code == 200


def test_own_client_class():
    AsyncClient(app=app, base_url="http://test")


async def test_already_migrated():
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as client:
        await client.get("/")


def test_other_library(aiohttp_client):
    return aiohttp_client(app=app)
