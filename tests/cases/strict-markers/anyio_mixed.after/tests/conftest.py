import pytest
import pytest_asyncio


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture
async def connection():
    return {"open": True}


@pytest.fixture
async def session(connection):
    return {"conn": connection}


@pytest_asyncio.fixture
async def cache():
    return {}
