import asyncio

import pytest
import pytest_asyncio


@pytest.fixture(scope="module")
def event_loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest_asyncio.fixture(scope="module")
async def server():
    yield "server"


@pytest.mark.asyncio
async def test_server(server):
    assert server == "server"


@pytest.mark.asyncio(loop_scope="module")
async def test_already_scoped(server):
    assert server
