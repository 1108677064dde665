try:
    from unittest.mock import AsyncMock, MagicMock
except ImportError:  # Python < 3.8
    from asynctest.mock import CoroutineMock as AsyncMock, MagicMock
