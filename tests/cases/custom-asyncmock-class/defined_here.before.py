import sys
from unittest.mock import MagicMock, patch

from app import api


# Python 3.7 has no AsyncMock.
class AsyncMock(MagicMock):
    """A MagicMock whose calls are awaitable."""

    async def __call__(self, *args, **kwargs):
        return super(AsyncMock, self).__call__(*args, **kwargs)


async def test_get():
    with patch.object(api, "fetch", new=AsyncMock(return_value={"ok": True})):
        assert await api.get("/") == {"ok": True}
    assert sys.version_info >= (3, 8)
