import pytest
import pytest_asyncio

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def server():
    yield "server"


@pytest.mark.asyncio(loop_scope="module")
async def test_server(server):
    assert server == "server"


@pytest.mark.asyncio(loop_scope="module")
async def test_already_scoped(server):
    assert server
