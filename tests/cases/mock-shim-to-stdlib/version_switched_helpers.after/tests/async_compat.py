from unittest.mock import AsyncMock, MagicMock
