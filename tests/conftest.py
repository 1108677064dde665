"""Runs of the tool made by the tests keep their cache (``cache.py``) in a directory of
the test session, not in the user's cache directory."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True, scope="session")
def _run_cache_of_the_session() -> Iterator[None]:
    with tempfile.TemporaryDirectory(prefix="atu-run-cache-") as directory:
        saved = os.environ.get("ASYNC_TEST_UPGRADE_RUN_CACHE")
        os.environ["ASYNC_TEST_UPGRADE_RUN_CACHE"] = directory
        try:
            yield
        finally:
            if saved is None:
                os.environ.pop("ASYNC_TEST_UPGRADE_RUN_CACHE", None)
            else:
                os.environ["ASYNC_TEST_UPGRADE_RUN_CACHE"] = saved
