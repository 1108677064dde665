import asyncio

import pytest
import functools


@pytest.fixture(params=["selector", "default"])
def loop_kind(request):
    return request.param


@pytest.fixture(params=[0.1, 0.5])
def slow_callback(request):
    return request.param


def new_event_loop_variant(loop_kind, slow_callback):
    if loop_kind == "selector":
        loop = asyncio.SelectorEventLoop()
    else:
        loop = asyncio.new_event_loop()
    loop.slow_callback_duration = slow_callback
    return loop


def pytest_asyncio_loop_factories(config, item):
    return {
        "selector-0.1": functools.partial(
            new_event_loop_variant, loop_kind="selector", slow_callback=0.1
        ),
        "selector-0.5": functools.partial(
            new_event_loop_variant, loop_kind="selector", slow_callback=0.5
        ),
        "default-0.1": functools.partial(
            new_event_loop_variant, loop_kind="default", slow_callback=0.1
        ),
        "default-0.5": functools.partial(
            new_event_loop_variant, loop_kind="default", slow_callback=0.5
        ),
    }
