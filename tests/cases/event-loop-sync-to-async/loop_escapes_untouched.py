import asyncio
import threading

import pytest

from app import Server, fetch, run_in


def test_passes_loop_on(event_loop):
    run_in(event_loop, fetch())


def test_call_soon(event_loop):
    event_loop.call_soon(print, "hi")
    event_loop.run_until_complete(fetch())


def test_thread(event_loop):
    thread = threading.Thread(target=event_loop.run_forever)
    thread.start()


def test_in_lambda(event_loop):
    run = lambda coro: event_loop.run_until_complete(coro)
    assert run(fetch()) == 1


def test_in_comprehension(event_loop):
    assert [event_loop.run_until_complete(fetch(p)) for p in "ab"]


@pytest.fixture
def generator_returning(event_loop):
    yield event_loop.run_until_complete(fetch())
    return 1


@pytest.fixture(scope=lambda fixture_name, config: "module")
def dynamic_scope(event_loop):
    return event_loop.run_until_complete(fetch())


def helper(event_loop):
    return event_loop.run_until_complete(fetch())


@pytest.mark.parametrize("event_loop", [1, 2])
def test_parametrized(event_loop):
    assert event_loop.run_until_complete
