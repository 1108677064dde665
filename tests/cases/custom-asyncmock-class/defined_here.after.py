import sys
from unittest.mock import AsyncMock, patch

from app import api


async def test_get():
    with patch.object(api, "fetch", new=AsyncMock(return_value={"ok": True})):
        assert await api.get("/") == {"ok": True}
    assert sys.version_info >= (3, 8)
