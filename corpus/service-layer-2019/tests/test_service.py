import asyncio
from unittest.mock import MagicMock, patch

import pytest
from accounts.repository import UserNotFound
from accounts.service import UserService

ADA = {"id": 1, "name": "Ada", "balance": 12.5}


@pytest.fixture
def repo():
    repo = MagicMock()
    fut = asyncio.Future()
    fut.set_result(ADA)
    repo.get = MagicMock(return_value=fut)
    saved = asyncio.Future()
    saved.set_result(None)
    repo.save.return_value = saved
    return repo


async def fake_rate(currency):
    return {"EUR": 0.9, "GBP": 0.8}[currency]


@pytest.mark.asyncio
async def test_profile_reads_the_repository(repo, audit_log):
    service = UserService(repo, audit_log)
    assert await service.profile(1) == ADA
    repo.get.assert_called_once_with(1)
    audit_log.assert_not_called()


@pytest.mark.asyncio
async def test_profile_fills_the_cache(repo, audit_log):
    cache = MagicMock()
    cache.get.return_value = None
    service = UserService(repo, audit_log, cache=cache)
    await service.profile(1)
    cache.get.assert_called_once_with(1)
    cache.set.assert_called_once_with(1, ADA)
    assert repo.get.call_count == 1


@pytest.mark.asyncio
async def test_rename_saves_and_audits(repo, audit_log):
    service = UserService(repo, audit_log)
    renamed = await service.rename(1, "Grace")
    assert renamed["name"] == "Grace"
    repo.save.assert_called_once_with(renamed)
    audit_log.assert_called_once_with("renamed", user_id=1, name="Grace")


@pytest.mark.asyncio
async def test_missing_user_does_not_exist(audit_log):
    repo = MagicMock()
    missing = asyncio.get_event_loop().create_future()
    missing.set_exception(UserNotFound(404))
    repo.get = MagicMock(return_value=missing)
    assert not await UserService(repo, audit_log).exists(404)
    repo.get.assert_called_once_with(404)


@pytest.mark.asyncio
async def test_balance_in_euros(repo, audit_log):
    rate = asyncio.Future()
    rate.set_result(0.9)
    with patch(
        "accounts.service.fetch_exchange_rate", new_callable=MagicMock, return_value=rate
    ) as fetch_rate:
        assert await UserService(repo, audit_log).balance_in(1, "EUR") == 11.25
    fetch_rate.assert_called_once_with("EUR")


@pytest.mark.asyncio
async def test_balance_with_fake_rates(repo, audit_log):
    with patch(
        "accounts.service.fetch_exchange_rate", new_callable=MagicMock, side_effect=fake_rate
    ) as fetch_rate:
        assert await UserService(repo, audit_log).balance_in(1, "GBP") == 10.0
    fetch_rate.assert_called_once_with("GBP")


@pytest.mark.asyncio
async def test_profile_waits_for_the_repository(audit_log):
    # The test resolves the future itself, to look at the service while it waits.
    pending = asyncio.Future()
    repo = MagicMock()
    repo.get.return_value = pending
    task = asyncio.ensure_future(UserService(repo, audit_log).profile(5))
    await asyncio.sleep(0)
    assert not task.done()
    pending.set_result({"id": 5})
    assert await task == {"id": 5}


def test_service_keeps_its_collaborators(audit_log):
    repo = MagicMock()
    service = UserService(repo, audit_log)
    assert service.repo is repo
    assert service.cache is None


@pytest.mark.asyncio
async def test_exists_then_gone(audit_log):
    # A side effect list of Futures resolved up front, one per await.
    found = asyncio.Future()
    found.set_result(ADA)
    missing = asyncio.Future()
    missing.set_exception(UserNotFound(1))
    repo = MagicMock()
    repo.get = MagicMock(side_effect=[found, missing])
    service = UserService(repo, audit_log)
    assert await service.exists(1)
    assert not await service.exists(1)


@pytest.mark.asyncio
async def test_profile_resolved_through_the_mock(audit_log):
    # The Future is made by the mock's constructor and resolved through the mock.
    repo = MagicMock()
    repo.get = MagicMock(return_value=asyncio.Future())
    repo.get.return_value.set_result(ADA)
    assert await UserService(repo, audit_log).profile(1) == ADA
