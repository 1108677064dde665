import sys

if sys.version_info < (3, 8):
    from asynctest.mock import CoroutineMock as AsyncMock

    def helper():
        return AsyncMock()

else:
    from unittest.mock import AsyncMock

    def helper():
        return AsyncMock()


try:
    from unittest.mock import AsyncMock as Async
except ImportError:
    Async = None
