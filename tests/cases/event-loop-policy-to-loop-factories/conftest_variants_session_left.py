import asyncio

import pytest


@pytest.fixture(scope="session", params=[False, True])
def debug_mode(request):
    return request.param


@pytest.fixture(scope="session")
def event_loop(debug_mode):
    loop = asyncio.new_event_loop()
    loop.set_debug(debug_mode)
    yield loop
    loop.close()
