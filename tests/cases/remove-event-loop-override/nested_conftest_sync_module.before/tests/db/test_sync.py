"""Sync tests under the override's directory: nothing of theirs ran on its loop."""

import asyncio

from db import schema


def test_schema_names():
    assert schema.NAMES


def test_loading_is_sync():
    assert not asyncio.iscoroutinefunction(schema.load)
