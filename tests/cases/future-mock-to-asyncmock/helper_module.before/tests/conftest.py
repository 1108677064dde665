from unittest import mock

import pytest

from tests.helpers import async_raise, async_return


@pytest.fixture
def client():
    client = mock.MagicMock()
    client.get.return_value = async_return({"status": "ok"})
    client.delete = mock.MagicMock(return_value=async_raise(PermissionError("read-only")))
    client.close = mock.MagicMock()
    return client
