from unittest.mock import AsyncMock

from app import db, http


async def test_rows(monkeypatch):
    rows = [(1, "a")]
    monkeypatch.setattr(db, "execute", AsyncMock(return_value=rows))
    assert await db.fetch_all("SELECT 1") == rows


async def test_failure(monkeypatch):
    monkeypatch.setattr(db, "execute", AsyncMock(side_effect=OSError("down")))
    assert await db.fetch_all("SELECT 1") == []


async def test_lambda(monkeypatch):
    monkeypatch.setattr(http, "get", AsyncMock(side_effect=lambda url, **kw: 200))
    assert await http.status("https://example.org") == 200
