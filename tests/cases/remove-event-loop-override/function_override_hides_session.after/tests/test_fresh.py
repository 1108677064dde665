"""Tests that want a loop of their own."""
import asyncio
import pytest

pytestmark = pytest.mark.asyncio(loop_scope="function")


async def test_fresh():
    await asyncio.sleep(0)
