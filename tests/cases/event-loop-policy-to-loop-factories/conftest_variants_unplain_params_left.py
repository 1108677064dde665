import asyncio

import pytest


@pytest.fixture(params=[pytest.param("selector", marks=pytest.mark.slow), "default"])
def loop_kind(request):
    return request.param


@pytest.fixture(params=[1, 2])
def workers(request):
    return request.param * 2


@pytest.fixture
def event_loop(loop_kind, workers):
    loop = asyncio.SelectorEventLoop() if loop_kind == "selector" else asyncio.new_event_loop()
    yield loop
    loop.close()
