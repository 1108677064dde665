import unittest

import pytest
from pytest import fixture

from shop.repo import Repo


@fixture(scope="function")
async def repo():
    repo = Repo()
    await repo.connect()
    yield repo
    await repo.close()


@pytest.fixture
def settings():
    return {"currency": "EUR"}


async def test_get(repo):
    assert await repo.get(1) == "apple"


@pytest.mark.parametrize("key", [1, 2])
async def test_exists(repo, key):
    assert await repo.exists(key)


def test_settings(settings):
    assert settings["currency"] == "EUR"


async def helper():
    return 1


class TestRepo:
    async def test_count(self, repo):
        assert await repo.count() == 2

    def test_sync(self):
        assert True


@pytest.mark.asyncio(loop_scope="module")
async def test_already_marked():
    assert True


class TestLegacyCase(unittest.TestCase):
    async def test_never_awaited(self):
        self.assertTrue(True)
