import asyncio

import pytest


@pytest.fixture(params=[False, True], ids=["plain", "debug"])
def debug_mode(request):
    return request.param


@pytest.fixture
def event_loop(debug_mode):
    loop = asyncio.new_event_loop()
    loop.set_debug(debug_mode)
    yield loop
    # Async generators are finalised here, which a loop factory cannot do.
    loop.run_until_complete(loop.shutdown_asyncgens())
    loop.close()
