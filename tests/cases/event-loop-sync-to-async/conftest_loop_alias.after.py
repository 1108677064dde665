import pytest
import asyncio
import pytest_asyncio


@pytest_asyncio.fixture
async def loop():
    return asyncio.get_running_loop()


@pytest_asyncio.fixture(name="io_loop")
async def io_loop_fixture():
    """The loop the tests run in, under the name the old suite used."""
    return asyncio.get_running_loop()


@pytest_asyncio.fixture
async def short_loop(): return asyncio.get_running_loop()


@pytest_asyncio.fixture
async def loop_and_port(unused_tcp_port):
    return asyncio.get_running_loop()
