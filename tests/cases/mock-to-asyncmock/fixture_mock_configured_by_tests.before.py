from unittest.mock import MagicMock

import pytest


class Repo:
    async def get(self, key):
        raise NotImplementedError


class Service:
    def __init__(self, repo):
        self.repo = repo

    async def load(self, key):
        return await self.repo.get(key)


async def fake_get(key):
    return {"id": key}


async def fake_missing(key):
    raise KeyError(key)


@pytest.fixture
def repo():
    repo = Repo()
    repo.get = MagicMock(side_effect=fake_get)
    return repo


@pytest.mark.asyncio
async def test_default(repo):
    assert await Service(repo).load(1) == {"id": 1}
    repo.get.assert_called_once_with(1)


@pytest.mark.asyncio
async def test_reconfigured_with_a_coroutine_function(repo):
    repo.get.side_effect = fake_missing
    with pytest.raises(KeyError):
        await Service(repo).load(2)


@pytest.mark.asyncio
async def test_reconfigured_with_an_exception(repo):
    repo.get.side_effect = ConnectionError("down")
    with pytest.raises(ConnectionError):
        await Service(repo).load(3)
