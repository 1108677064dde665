"""Nothing here wraps a mock in asyncio.coroutine."""
import asyncio
import types
from unittest.mock import AsyncMock, MagicMock

from app import tasks


def coroutine(f):
    return f


async def test_types_coroutine(monkeypatch):
    monkeypatch.setattr(tasks, "run", types.coroutine(MagicMock(return_value=iter(()))))
    monkeypatch.setattr(tasks, "stop", coroutine(MagicMock()))
    monkeypatch.setattr(tasks, "wait", AsyncMock(return_value=1))
    assert asyncio.iscoroutinefunction(tasks.wait)
