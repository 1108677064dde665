from asyncio import coroutine
from unittest.mock import AsyncMock, MagicMock

from app import db


async def test_imported_name(monkeypatch):
    monkeypatch.setattr(db, "execute", coroutine(MagicMock(return_value=[])))
    monkeypatch.setattr(db, "ping", coroutine(AsyncMock(return_value=True)))
    assert await db.ping()
    assert await db.fetch_all("SELECT 1") == []
