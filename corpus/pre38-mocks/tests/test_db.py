import asyncio

import pytest

from feedcache import db

from .mocks import CoroMock as CM


@asyncio.coroutine
def slow_execute(query, *params):
    yield from asyncio.sleep(0)
    return [("slow", query)]


@pytest.mark.asyncio
async def test_stored_returns_the_first_row(monkeypatch):
    execute = CM(return_value=["<rss/>"])
    monkeypatch.setattr(db.db, "execute", execute)
    assert await db.stored("https://e.example/feed") == "<rss/>"
    execute.assert_called_once_with(
        "SELECT body FROM feeds WHERE url = ?", "https://e.example/feed"
    )


@pytest.mark.asyncio
async def test_generator_based_execute(monkeypatch):
    monkeypatch.setattr(db.db, "execute", slow_execute)
    assert await db.stored("x") == ("slow", "SELECT body FROM feeds WHERE url = ?")


@pytest.mark.asyncio
async def test_real_database_round_trip():
    await db.store("https://f.example/feed", "<rss/>")
    assert await db.stored("https://f.example/feed") == "<rss/>"
