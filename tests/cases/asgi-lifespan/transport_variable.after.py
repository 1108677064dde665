import httpx
import pytest
from fastapi import FastAPI
from asgi_lifespan import LifespanManager

app = FastAPI(on_startup=[])


@pytest.fixture
async def client():
    # the transport on its own line, as in many FastAPI suites
    async with LifespanManager(app) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            yield c


@pytest.fixture
async def reused_transport():
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport) as c:
        yield c, transport
