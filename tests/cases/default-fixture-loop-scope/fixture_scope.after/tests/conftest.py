import pytest


@pytest.fixture(scope="session")
async def pool():
    yield []
