from unittest.mock import AsyncMock, patch

from tests.helpers import make_user


async def test_user():
    with patch("app.api.fetch", new=AsyncMock(return_value=make_user())):
        from app import api

        assert (await api.user())["name"] == "ada"
