import asyncio

import pytest


@pytest.fixture(params=["a", "b"])
def event_loop():
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()
