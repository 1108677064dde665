import httpx
import pytest
from httpx import ASGITransport, AsyncClient

from service import main
from service.legacy import legacy_app
from service.main import app, plain
from asgi_lifespan import LifespanManager


@pytest.fixture
async def client():
    # one client per test
    async with LifespanManager(app) as manager:
        async with AsyncClient(transport=ASGITransport(app=manager.app), base_url="http://test") as c:
            yield c


@pytest.fixture
async def legacy_client():
    async with LifespanManager(legacy_app) as manager:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=manager.app),
            base_url="http://test",
        ) as c:
            yield c


@pytest.fixture
async def module_attribute_client():
    async with LifespanManager(main.app) as manager:
        async with AsyncClient(transport=ASGITransport(app=manager.app)) as c:
            yield c


@pytest.fixture
async def plain_client():
    async with AsyncClient(transport=ASGITransport(app=plain), base_url="http://test") as c:
        yield c
