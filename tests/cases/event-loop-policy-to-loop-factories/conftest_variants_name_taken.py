import asyncio

import pytest


def new_event_loop_variant(debug):
    loop = asyncio.new_event_loop()
    loop.set_debug(debug)
    return loop


@pytest.fixture(params=[False, True])
def debug_mode(request):
    return request.param


@pytest.fixture
def event_loop(request, debug_mode):
    loop = asyncio.new_event_loop()
    loop.set_debug(debug_mode)
    yield loop
    loop.close()
