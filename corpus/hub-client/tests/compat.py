"""Mock objects for every Python the project supports."""
import sys

if sys.version_info < (3, 8):
    from asynctest.mock import *  # noqa: F401,F403

    AsyncMock = CoroutineMock  # noqa: F405
else:
    from unittest.mock import *  # noqa: F401,F403
