"""Awaitable mocks for Python 3.7, which has no unittest.mock.AsyncMock."""

from unittest.mock import MagicMock


class CoroMock(MagicMock):
    """Calling it returns an awaitable; the call itself is recorded as usual."""

    async def __call__(self, *args, **kwargs):
        return super().__call__(*args, **kwargs)


class AsyncMock(MagicMock):
    async def __call__(self, *args, **kwargs):
        return super(AsyncMock, self).__call__(*args, **kwargs)
