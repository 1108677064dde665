import asyncio

import pytest

from app import Server


@pytest.fixture
def timer():
    loop = asyncio.get_event_loop()
    return loop.time()


@pytest.fixture
def scheduled():
    loop = asyncio.get_event_loop()
    loop.call_soon(print, "hi")
    yield loop.run_until_complete(asyncio.sleep(0))


@pytest.fixture(scope="session")
def shared_server():
    srv = Server()
    asyncio.get_event_loop().run_until_complete(srv.start())
    yield srv
    asyncio.get_event_loop().run_until_complete(srv.stop())


@pytest.fixture
def legacy_generator():
    yield from asyncio.get_event_loop().run_until_complete(Server().items())
