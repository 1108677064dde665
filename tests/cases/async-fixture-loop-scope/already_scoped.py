import pytest
import pytest_asyncio


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def pool():
    yield []


@pytest.fixture(scope="session")
def sync_resource():
    return {}


@pytest_asyncio.fixture
async def per_test():
    return 1


@pytest_asyncio.fixture(scope="function")
async def explicit_function():
    return 1


def helper():
    @pytest.fixture(scope="module")
    async def nested():
        return 1

    return nested
