import asyncio
from unittest.mock import MagicMock

from app import service


async def test_lookup():
    repo = MagicMock()
    # The repository answers once.
    fut = asyncio.Future()
    fut.set_result({"id": 1})  # resolved up front
    repo.get = MagicMock(return_value=fut)
    assert await service.lookup(repo, 1) == {"id": 1}


async def test_last_statement_comment():
    repo = MagicMock()
    repo.get = MagicMock(return_value=asyncio.Future())
    # resolved through the mock
    repo.get.return_value.set_result(2)
