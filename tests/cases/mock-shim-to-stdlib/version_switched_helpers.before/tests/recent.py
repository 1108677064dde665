import sys

# Depends on the Python version even on 3.11+: left alone.
if sys.version_info >= (3, 12):
    from unittest.mock import ThreadingMock as Recorder
else:
    from mock import MagicMock as Recorder
