import sys
from pathlib import Path
from unittest.mock import MagicMock

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from tests.helpers import async_return


@pytest.fixture
def audit_log():
    # A plain callable in the service: this mock is only ever called synchronously.
    return MagicMock()


@pytest.fixture
def http():
    http = MagicMock()
    http.get_json.return_value = async_return({"id": 7, "name": "Ada", "balance": 10.0})
    http.put_json = MagicMock(return_value=async_return({"ok": True}))
    http.build_url.side_effect = lambda path: "https://api.example.com" + path
    return http
