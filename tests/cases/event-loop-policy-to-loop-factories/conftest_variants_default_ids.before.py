import asyncio

import pytest


@pytest.fixture(params=["selector", "default"])
def loop_kind(request):
    return request.param


@pytest.fixture(params=[0.1, 0.5])
def slow_callback(request):
    return request.param


@pytest.fixture
def event_loop(loop_kind, slow_callback):
    if loop_kind == "selector":
        loop = asyncio.SelectorEventLoop()
    else:
        loop = asyncio.new_event_loop()
    loop.slow_callback_duration = slow_callback
    return loop
