import asyncio
import gc

import pytest


class TracingLoop(asyncio.SelectorEventLoop):
    """An event loop that records the callbacks it schedules."""

    def __init__(self):
        super().__init__()
        self.scheduled = []

    def call_soon(self, callback, *args, **kwargs):
        self.scheduled.append(callback)
        return super().call_soon(callback, *args, **kwargs)


@pytest.fixture(scope="session", params=[False, True], ids=["plain", "debug"])
def debug_mode(request):
    return request.param


@pytest.fixture(params=["selector", "tracing"])
def loop_kind(request):
    return request.param


@pytest.fixture
def event_loop(request, loop_kind, debug_mode):
    """One loop per kind and debug mode."""
    loop = TracingLoop() if loop_kind == "tracing" else asyncio.new_event_loop()
    loop.set_debug(debug_mode)
    yield loop
    loop.close()
    gc.collect()


@pytest.fixture
def payload():
    return {"id": 1}
