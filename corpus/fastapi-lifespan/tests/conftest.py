import pytest
from httpx import AsyncClient

from inventory_api.main import app, lifespan


@pytest.fixture
async def client():
    # httpx's AsyncClient(app=...) sends no lifespan events, so the suite enters the app's
    # lifespan itself: without it every request that touches the store fails.
    async with lifespan(app):
        async with AsyncClient(app=app, base_url="http://test") as c:
            yield c


@pytest.fixture
async def bare_client():
    # Endpoints that need nothing from the lifespan are tested without starting the app.
    async with AsyncClient(app=app, base_url="http://test") as c:
        yield c
