"""Futures the test really needs as futures, and sync mocks: left alone (some reported)."""

import asyncio
from unittest.mock import MagicMock

import pytest


def test_sync_mock():
    callback = MagicMock(return_value=3)
    assert callback() == 3


@pytest.mark.asyncio
async def test_resolved_later_controls_timing():
    fut = asyncio.Future()
    fetch = MagicMock(return_value=fut)
    task = asyncio.ensure_future(fetch())
    await asyncio.sleep(0)
    assert not task.done()
    fut.set_result(1)
    assert await task == 1


@pytest.mark.asyncio
async def test_shared_future():
    fut = asyncio.Future()
    fut.set_result(1)
    first = MagicMock(return_value=fut)
    second = MagicMock(return_value=fut)
    assert await first() == await second() == 1


@pytest.mark.asyncio
async def test_future_awaited_directly():
    fut = asyncio.get_running_loop().create_future()
    fut.set_result(1)
    assert await fut == 1


@pytest.mark.asyncio
async def test_value_changes_in_between():
    value = 1
    fut = asyncio.Future()
    fut.set_result(value)
    value = 2
    fetch = MagicMock(return_value=fut)
    assert await fetch() == 1


@pytest.mark.asyncio
async def test_code_that_wants_the_future_itself():
    fut = asyncio.Future()
    fut.set_result(1)
    fetch = MagicMock(return_value=fut)
    done = []
    fetch().add_done_callback(done.append)
    await asyncio.sleep(0)
    assert len(done) == 1
