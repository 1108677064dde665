"""Mocks with evidence of standing for a coroutine function that are still configured
with Futures: as AsyncMocks they would hand those Futures out unawaited. Reported, left
MagicMocks (future-mock-to-asyncmock rewrites the resolved ones it can)."""

import asyncio
from unittest.mock import MagicMock, patch

import pytest


class Repo:
    async def get(self, key):
        raise NotImplementedError


@pytest.fixture
def repo():
    repo = Repo()
    repo.get = MagicMock()
    return repo


@pytest.mark.asyncio
async def test_fixture_mock_given_a_pending_future(repo):
    pending = asyncio.get_running_loop().create_future()
    repo.get.return_value = pending
    task = asyncio.ensure_future(repo.get(1))
    await asyncio.sleep(0)
    assert not task.done()
    pending.set_result({"id": 1})
    assert await task == {"id": 1}


@pytest.mark.asyncio
async def test_pending_future_as_return_value():
    fetch = MagicMock(return_value=asyncio.Future())
    task = asyncio.ensure_future(fetch())
    await asyncio.sleep(0)
    fetch.return_value.set_result(1)
    assert await task == 1


@pytest.mark.asyncio
async def test_side_effect_futures_resolved_in_turn():
    first = asyncio.Future()
    second = asyncio.Future()
    fetch = MagicMock(side_effect=[first, second])
    task = asyncio.ensure_future(fetch())
    first.set_result(1)
    assert await task == 1
    second.set_exception(KeyError(2))
    with pytest.raises(KeyError):
        await fetch()


@pytest.mark.asyncio
async def test_awaited_attribute_given_a_future():
    loop = asyncio.get_running_loop()
    client = MagicMock()
    client.fetch.return_value = loop.create_future()
    loop.call_soon(client.fetch.return_value.set_result, "ok")
    assert await client.fetch() == "ok"


@pytest.mark.asyncio
async def test_patched_coroutine_function_answering_with_a_future():
    with patch.object(Repo, "get", new_callable=MagicMock) as get:
        get.return_value = asyncio.Future()
        get.return_value.add_done_callback(print)
        get.return_value.set_result({"id": 3})
        assert await Repo().get(3) == {"id": 3}
