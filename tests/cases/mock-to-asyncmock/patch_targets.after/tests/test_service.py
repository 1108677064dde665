from unittest import mock
from unittest.mock import AsyncMock, MagicMock, patch

import pytest

from shop import repo as repo_module
from shop.repo import UserRepo


async def fake_fetch(user_id):
    return {"id": user_id}


@pytest.mark.asyncio
async def test_patch_with_new_callable():
    with patch("shop.service.fetch_user", new_callable=AsyncMock) as fetch:
        fetch.side_effect = fake_fetch
        fetch.assert_not_called()


@pytest.mark.asyncio
async def test_patch_object_with_new(mocker):
    mocker.patch.object(UserRepo, "get", new=mocker.AsyncMock(side_effect=fake_fetch))
    mocker.patch.object(UserRepo, "cache_key", new=mocker.MagicMock(return_value="k"))


@pytest.mark.asyncio
async def test_attribute_of_a_project_object():
    repo = UserRepo()
    repo.get = mock.AsyncMock(side_effect=fake_fetch)
    repo.cache_key = mock.MagicMock(return_value="k")
    repo_module.fetch_user = mock.AsyncMock(side_effect=fake_fetch)


@pytest.mark.asyncio
async def test_monkeypatch(monkeypatch):
    monkeypatch.setattr("shop.service.fetch_user", AsyncMock(side_effect=fake_fetch))
    monkeypatch.setattr(UserRepo, "get", AsyncMock(side_effect=fake_fetch))
    monkeypatch.setattr("shop.repo.render", MagicMock(return_value=""))


def test_default_patch_is_already_async():
    with patch("shop.repo.fetch_user") as fetch:
        assert fetch is not None
    with patch("shop.repo.render", new_callable=MagicMock):
        pass
