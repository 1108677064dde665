import asyncio

import pytest

from app import Clock, fetch


def test_plain(event_loop):
    assert Clock().now() > 0


def test_among_others(tmp_path, event_loop, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert Clock().home == tmp_path


class TestClock:
    def test_method(self, event_loop):
        assert Clock().ticks == 0


def test_wants_a_current_loop(event_loop):
    # requested only so that a current loop exists
    future = asyncio.ensure_future(fetch())
    assert asyncio.get_event_loop() is not None
    future.cancel()


@pytest.fixture
def clock(event_loop):
    return Clock()


def test_with_fixture(clock):
    assert clock.ticks == 0
