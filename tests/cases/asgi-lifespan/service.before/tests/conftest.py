import httpx
import pytest
from httpx import ASGITransport, AsyncClient

from service import main
from service.legacy import legacy_app
from service.main import app, plain


@pytest.fixture
async def client():
    # one client per test
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://test") as c:
        yield c


@pytest.fixture
async def legacy_client():
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=legacy_app),
        base_url="http://test",
    ) as c:
        yield c


@pytest.fixture
async def module_attribute_client():
    async with AsyncClient(transport=ASGITransport(app=main.app)) as c:
        yield c


@pytest.fixture
async def plain_client():
    async with AsyncClient(transport=ASGITransport(app=plain), base_url="http://test") as c:
        yield c
