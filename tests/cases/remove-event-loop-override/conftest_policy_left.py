import asyncio

import pytest


@pytest.fixture(scope="session")
def event_loop():
    asyncio.set_event_loop_policy(asyncio.DefaultEventLoopPolicy())
    loop = asyncio.new_event_loop()
    loop.set_debug(True)
    yield loop
    loop.close()
