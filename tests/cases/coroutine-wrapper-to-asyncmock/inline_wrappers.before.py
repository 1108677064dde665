import asyncio
from unittest.mock import MagicMock, Mock

from app import db, http


async def test_rows(monkeypatch):
    rows = [(1, "a")]
    monkeypatch.setattr(db, "execute", asyncio.coroutine(MagicMock(return_value=rows)))
    assert await db.fetch_all("SELECT 1") == rows


async def test_failure(monkeypatch):
    monkeypatch.setattr(db, "execute", asyncio.coroutine(Mock(side_effect=OSError("down"))))
    assert await db.fetch_all("SELECT 1") == []


async def test_lambda(monkeypatch):
    monkeypatch.setattr(http, "get", asyncio.coroutine(lambda url, **kw: 200))
    assert await http.status("https://example.org") == 200
