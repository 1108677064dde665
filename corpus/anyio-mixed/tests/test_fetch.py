import asyncio

import pytest
import sniffio

from feedsync import fetch_all, fetch_feed

pytestmark = pytest.mark.anyio


async def test_runs_on_the_anyio_backend(anyio_backend):
    assert anyio_backend == "asyncio"
    assert sniffio.current_async_library() == "asyncio"


async def test_store_fixture_runs_in_the_test_loop(feed_store):
    # Under pytest-asyncio's auto mode the fixture would run in another loop.
    assert feed_store.loop is asyncio.get_running_loop()
    assert feed_store.opened


async def test_fetch_feed():
    assert await fetch_feed("news") == ["news-1", "news-2"]


async def test_fetch_all(feed_store):
    entries = await fetch_all(feed_store, ["news", "blog"])
    assert sorted(entries) == ["blog", "news"]
