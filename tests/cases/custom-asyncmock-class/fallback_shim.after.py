"""conftest-style helpers that ran on Python 3.7 and 3.8 alike."""

import pytest

# Python 3.7 has no AsyncMock.
from unittest.mock import AsyncMock


@pytest.fixture
def sender():
    return AsyncMock(return_value=True)
