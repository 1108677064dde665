import asyncio

import pytest


@pytest.fixture(scope="session")
def event_loop():
    loop = asyncio.new_event_loop()
    loop.set_debug(True)
    yield loop
    loop.close()


@pytest.fixture(scope="session")
async def ticker():
    yield asyncio.get_running_loop()
