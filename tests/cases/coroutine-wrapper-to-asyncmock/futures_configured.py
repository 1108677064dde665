"""Mocks wrapped in asyncio.coroutine and configured with Futures: the wrapper awaited
what the mock returned, an AsyncMock would hand the Future out. Reported, left alone."""

import asyncio
from unittest.mock import MagicMock

from app import db


def async_return(value):
    future = asyncio.Future()
    future.set_result(value)
    return future


async def test_stub_given_a_future(monkeypatch):
    rows = asyncio.get_running_loop().create_future()
    execute_stub = MagicMock()
    execute_stub.return_value = rows
    monkeypatch.setattr(db, "execute", asyncio.coroutine(execute_stub))
    rows.set_result([(1,)])
    assert await db.fetch_all("SELECT 1") == [(1,)]
    execute_stub.assert_called_once_with("SELECT 1")


async def test_stub_given_futures_in_turn(monkeypatch):
    first = asyncio.Future()
    second = asyncio.Future()
    ping_stub = MagicMock()
    ping_stub.side_effect = [first, second]
    monkeypatch.setattr(db, "ping", asyncio.coroutine(ping_stub))
    first.set_result(True)
    assert await db.ping()


async def test_inline_side_effect_of_futures(monkeypatch):
    closed = asyncio.Future()
    monkeypatch.setattr(db, "close", asyncio.coroutine(MagicMock(side_effect=[closed])))
    closed.set_result(None)
    await db.close()


async def test_helper_made_future(monkeypatch):
    monkeypatch.setattr(db, "count", asyncio.coroutine(MagicMock(return_value=async_return(3))))
    assert await db.count() == 3


async def test_what_the_stub_returns_is_used_as_a_future(monkeypatch):
    version_stub = MagicMock(return_value=db.pending_version())
    version_stub.return_value.add_done_callback(print)
    monkeypatch.setattr(db, "version", asyncio.coroutine(version_stub))
    assert await db.version() == "1.0"
