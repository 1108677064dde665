import asyncio
from unittest.mock import MagicMock

from app import db


async def test_future_result(monkeypatch):
    fut = asyncio.Future()
    fut.set_result([(1,)])
    monkeypatch.setattr(db, "execute", asyncio.coroutine(MagicMock(return_value=fut)))
    assert await db.fetch_all("SELECT 1") == [(1,)]


async def test_stub_called_directly(monkeypatch):
    stub = MagicMock(return_value=[(2,)])
    monkeypatch.setattr(db, "execute", asyncio.coroutine(stub))
    assert stub("warm-up") == [(2,)]
    assert await db.fetch_all("SELECT 1") == [(2,)]


async def test_converted_beside_refused(monkeypatch):
    monkeypatch.setattr(db, "ping", asyncio.coroutine(MagicMock(return_value=True)))
    assert await db.ping()
