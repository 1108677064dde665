import pytest
import pytest_asyncio

from tests.helpers import SharedLoopCase  # noqa

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.slow]


@pytest_asyncio.fixture
async def client():
    return object()


async def test_module_marked(client):
    assert client is not None


@pytest.mark.trio
async def test_trio_side():
    assert True


async def test_anyio_by_backend(anyio_backend):
    assert anyio_backend


@pytest.mark.asyncio
class TestMarkedClass:
    async def test_inherits_the_class_mark(self):
        assert True
