from unittest import mock

import pytest


@pytest.fixture
def client():
    client = mock.MagicMock()
    client.get = mock.AsyncMock(return_value={"status": "ok"})
    client.delete = mock.AsyncMock(side_effect=PermissionError("read-only"))
    client.close = mock.MagicMock()
    return client
