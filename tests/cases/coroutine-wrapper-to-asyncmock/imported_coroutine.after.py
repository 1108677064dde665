from unittest.mock import AsyncMock

from app import db


async def test_imported_name(monkeypatch):
    monkeypatch.setattr(db, "execute", AsyncMock(return_value=[]))
    monkeypatch.setattr(db, "ping", AsyncMock(return_value=True))
    assert await db.ping()
    assert await db.fetch_all("SELECT 1") == []
