import asyncio
from unittest.mock import MagicMock

import pytest

from feedcache import db, http
from feedcache.cache import FeedCache
from tests.mocks import AsyncMock


@pytest.mark.asyncio
async def test_network_then_memory():
    fetch = AsyncMock(return_value="<rss/>")
    cache = FeedCache(fetch)
    assert await cache.get("https://a.example/feed") == "<rss/>"
    assert await cache.get("https://a.example/feed") == "<rss/>"
    fetch.assert_called_once_with("https://a.example/feed")
    assert cache.misses == 1


@pytest.mark.asyncio
async def test_database_hit_skips_the_network(monkeypatch):
    monkeypatch.setattr(db, "stored", asyncio.coroutine(MagicMock(return_value="<cached/>")))
    fetch = AsyncMock()
    assert await FeedCache(fetch).get("https://b.example/feed") == "<cached/>"
    fetch.assert_not_called()


@pytest.mark.asyncio
async def test_retry_once_on_503(monkeypatch):
    answers = iter([http.HttpError(503), "<rss>late</rss>"])

    def answer(url):
        value = next(answers)
        if isinstance(value, Exception):
            raise value
        return value

    monkeypatch.setattr(http, "get", asyncio.coroutine(lambda url, timeout=10: answer(url)))
    assert await FeedCache().get("https://c.example/feed") == "<rss>late</rss>"


@pytest.mark.asyncio
async def test_the_stored_row_is_written(monkeypatch):
    # The shape of pytest-asyncio issue #77: a stub wrapped into a coroutine, then
    # asserted on.
    execute_stub = MagicMock(return_value=[])
    execute_coro = asyncio.coroutine(execute_stub)
    monkeypatch.setattr(db.db, "execute", execute_coro)
    fetch = AsyncMock(return_value="<rss>new</rss>")
    await FeedCache(fetch).get("https://d.example/feed")
    execute_stub.assert_any_call(
        "INSERT INTO feeds VALUES (?, ?)", "https://d.example/feed", "<rss>new</rss>"
    )
    assert execute_stub.call_count == 2
