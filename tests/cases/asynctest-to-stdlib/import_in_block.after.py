import warnings
from unittest import mock

with warnings.catch_warnings():
    pass

m = mock.AsyncMock(return_value=mock.MagicMock())
