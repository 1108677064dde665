"""conftest-style helpers that ran on Python 3.7 and 3.8 alike."""

import pytest

# Python 3.7 has no AsyncMock.
try:
    from unittest.mock import AsyncMock
except ImportError:
    from unittest.mock import MagicMock

    class AsyncMock(MagicMock):
        async def __call__(self, *args, **kwargs):
            return super(AsyncMock, self).__call__(*args, **kwargs)


@pytest.fixture
def sender():
    return AsyncMock(return_value=True)
