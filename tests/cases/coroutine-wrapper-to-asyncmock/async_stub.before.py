import asyncio
from unittest.mock import AsyncMock

from app import db


async def test_stub_already_an_asyncmock(monkeypatch):
    execute_stub = AsyncMock(return_value=[(1,)])
    monkeypatch.setattr(db, "execute", asyncio.coroutine(execute_stub))
    assert await db.fetch_all("SELECT 1") == [(1,)]
    execute_stub.assert_awaited_once_with("SELECT 1")
