import pytest


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture
async def connection():
    return {"open": True}


@pytest.fixture
async def session(connection):
    return {"conn": connection}


@pytest.fixture
async def cache():
    return {}
