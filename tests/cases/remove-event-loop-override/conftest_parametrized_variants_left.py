import asyncio

import pytest


@pytest.fixture(scope="session", params=[True, False], ids=["debug", "plain"])
def debug(request):
    return request.param


@pytest.fixture
def event_loop(request, debug):
    loop = asyncio.new_event_loop()
    loop.set_debug(debug)
    yield loop
    loop.close()
