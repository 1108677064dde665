"""Mocks still configured with a Future this codemod cannot rewrite stay as they are:
an AsyncMock would hand that Future out instead of awaiting it."""

import asyncio
from unittest.mock import MagicMock

import pytest


@pytest.fixture
def repo():
    repo = MagicMock()
    ready = asyncio.Future()
    ready.set_result({"id": 1})
    repo.get = MagicMock(return_value=ready)
    return repo


@pytest.mark.asyncio
async def test_the_fixture_future_is_replaced_by_a_pending_one(repo):
    pending = asyncio.Future()
    repo.get.return_value = pending
    task = asyncio.ensure_future(repo.get(2))
    await asyncio.sleep(0)
    pending.set_result({"id": 2})
    assert await task == {"id": 2}


class TestWithSetup:
    def setup_method(self):
        done = asyncio.Future()
        done.set_result("pong")
        self.ping = MagicMock(return_value=done)

    @pytest.mark.asyncio
    async def test_callback_on_the_future(self):
        seen = []
        self.ping.return_value.add_done_callback(seen.append)
        assert await self.ping() == "pong"


@pytest.mark.asyncio
async def test_done_callback_on_what_the_mock_returns():
    ready = asyncio.Future()
    ready.set_result(1)
    fetch = MagicMock(return_value=ready)
    seen = []
    fetch.return_value.add_done_callback(seen.append)
    assert await fetch() == 1


@pytest.mark.asyncio
async def test_a_second_future_resolved_later():
    first = asyncio.Future()
    first.set_result(1)
    fetch = MagicMock(return_value=first)
    assert await fetch() == 1
    second = asyncio.Future()
    fetch.return_value = second
    second.set_result(2)
    assert await fetch() == 2


@pytest.mark.asyncio
async def test_resolved_twice():
    fetch = MagicMock(return_value=asyncio.Future())
    fetch.return_value.set_result(1)
    with pytest.raises(asyncio.InvalidStateError):
        fetch.return_value.set_result(2)


@pytest.mark.asyncio
async def test_resolved_on_a_condition(flag=True):
    fetch = MagicMock(return_value=asyncio.Future())
    if flag:
        fetch.return_value.set_result(1)
    assert await fetch() == 1


@pytest.mark.asyncio
async def test_called_before_the_future_is_resolved():
    fetch = MagicMock(return_value=asyncio.Future())
    task = asyncio.ensure_future(fetch())
    await asyncio.sleep(0)
    fetch.return_value.set_result(1)
    assert await task == 1


class Loader:
    def __init__(self, repo):
        self.repo = repo

    async def load(self, key):
        return await self.repo.get(key)


@pytest.mark.asyncio
async def test_the_owner_is_handed_on_before_the_future_is_resolved():
    repo = MagicMock()
    repo.get.return_value = asyncio.Future()
    task = asyncio.ensure_future(Loader(repo).load(1))
    await asyncio.sleep(0)
    assert not task.done()
    repo.get.return_value.set_result({"id": 1})
    assert await task == {"id": 1}


@pytest.mark.asyncio
async def test_the_future_itself_is_checked():
    fetch = MagicMock(return_value=asyncio.Future())
    fetch.return_value.set_result(1)
    assert fetch.return_value.done()
    assert await fetch() == 1


@pytest.mark.asyncio
async def test_side_effect_future_resolved_later():
    first = asyncio.Future()
    fetch = MagicMock(side_effect=[first])
    task = asyncio.ensure_future(fetch())
    first.set_result(1)
    assert await task == 1


@pytest.mark.asyncio
async def test_side_effect_future_resolving_to_an_exception_object():
    error = asyncio.Future()
    error.set_result(ValueError("returned, not raised"))
    fetch = MagicMock(side_effect=[error])
    assert isinstance(await fetch(), ValueError)


@pytest.mark.asyncio
async def test_mixed_items_stay_silently():
    ready = asyncio.Future()
    ready.set_result(1)
    fetch = MagicMock(side_effect=[ready, 2])
    assert await fetch() == 1


@pytest.fixture
def client():
    return MagicMock()


def test_return_value_of_a_mock_built_elsewhere(client):
    client.fetch.return_value.set_result(1)
