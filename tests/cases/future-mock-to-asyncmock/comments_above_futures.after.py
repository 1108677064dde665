from unittest.mock import AsyncMock, MagicMock

from app import service


async def test_lookup():
    repo = MagicMock()
    # The repository answers once.
    # resolved up front
    repo.get = AsyncMock(return_value={"id": 1})
    assert await service.lookup(repo, 1) == {"id": 1}


async def test_last_statement_comment():
    repo = MagicMock()
    repo.get = AsyncMock(return_value=2)
    # resolved through the mock
