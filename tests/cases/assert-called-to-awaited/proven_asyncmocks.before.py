from unittest import mock
from unittest.mock import AsyncMock, MagicMock, call, patch

import pytest

from shop.service import Service


@pytest.fixture
def repo():
    repo = MagicMock(save=AsyncMock(return_value=True))
    repo.get = AsyncMock(return_value={"id": 1})
    return repo


@pytest.mark.asyncio
async def test_fixture_mocks(repo):
    assert await Service(repo).load(1) == {"id": 1}
    repo.get.assert_called_once_with(1)
    assert repo.get.call_count == 1
    assert repo.get.call_args == call(1)
    await Service(repo).rename(1, "Ada")
    repo.save.assert_called()
    repo.close.assert_not_called()


@pytest.mark.asyncio
async def test_not_called_is_kept(repo):
    await Service(repo).load(2)
    repo.save.assert_not_called()  # never rewritten: assert_not_awaited is weaker


@pytest.mark.asyncio
async def test_local_asyncmock():
    notify = mock.AsyncMock()
    await notify("a")
    await notify("b")
    notify.assert_has_calls([call("a"), call("b")])
    notify.assert_any_call("a")
    assert [c.args for c in notify.call_args_list] == [("a",), ("b",)]


@pytest.mark.asyncio
async def test_patched_with_asyncmock():
    with patch("shop.service.fetch_all", new_callable=AsyncMock) as fetch:
        await Service(MagicMock()).all()
    fetch.assert_called_once_with()


@pytest.mark.asyncio
@patch("shop.service.audit", new_callable=AsyncMock)
async def test_decorator(audit):
    await Service(MagicMock()).all()
    audit.assert_called_once()


@pytest.mark.asyncio
async def test_mocker(mocker):
    fetch = mocker.patch("shop.service.fetch_all", new=mocker.AsyncMock(return_value=[]))
    await Service(MagicMock()).all()
    fetch.assert_called_once_with()
