import asyncio
from unittest import mock

from app import db


async def test_execute(monkeypatch):
    execute_stub = mock.MagicMock(return_value=[(1,)])
    execute_coro = asyncio.coroutine(execute_stub)
    monkeypatch.setattr(db, "execute", execute_coro)

    assert await db.fetch_all("SELECT 1") == [(1,)]
    execute_stub.assert_called_once_with("SELECT 1")


async def test_lambda_module_style(monkeypatch):
    monkeypatch.setattr(db, "ping", asyncio.coroutine(lambda: True))
    assert await db.ping()
