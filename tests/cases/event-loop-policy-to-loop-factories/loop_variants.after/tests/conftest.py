import asyncio

import pytest
import functools


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


def new_event_loop_variant(loop_kind, debug_mode):
    """One loop per kind and debug mode."""
    loop = TracingLoop() if loop_kind == "tracing" else asyncio.new_event_loop()
    # pytest-asyncio's runner sets its own debug mode on the loop a factory returns:
    # this one is set once the loop runs, before the test's first step.
    loop.call_soon(loop.set_debug, debug_mode)
    return loop


def pytest_asyncio_loop_factories(config, item):
    return {
        "plain-selector": functools.partial(
            new_event_loop_variant, loop_kind="selector", debug_mode=False
        ),
        "plain-tracing": functools.partial(
            new_event_loop_variant, loop_kind="tracing", debug_mode=False
        ),
        "debug-selector": functools.partial(
            new_event_loop_variant, loop_kind="selector", debug_mode=True
        ),
        "debug-tracing": functools.partial(
            new_event_loop_variant, loop_kind="tracing", debug_mode=True
        ),
    }


@pytest.fixture
def payload():
    return {"id": 1}
